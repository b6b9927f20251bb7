import type { Manager, SessionUser } from '@/api/types';

/**
 * The managers a person may name as the one who brought a client in (the server checks the same):
 * an admin anyone, a head the own team (and themselves), a manager only themselves.
 */
export function nameableManagers(user: SessionUser, managers: readonly Manager[]): Manager[] {
  if (user.role === 'admin') return [...managers];
  if (user.role === 'head') return managers.filter((m) => (user.teamId !== null && m.teamId === user.teamId) || m.id === user.managerId);
  return managers.filter((m) => m.id === user.managerId);
}

/** Whether the person corrects who brought a client in: heads and admins. */
export function correctsOriginators(user: SessionUser): boolean {
  return user.role === 'admin' || user.role === 'head';
}

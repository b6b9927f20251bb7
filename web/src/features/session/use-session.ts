import { useSessionQuery } from './session-api';
import type { Role, SessionUser } from '@/api/types';

/** The signed-in person; only for components rendered inside RequireSession. */
export function useCurrentUser(): SessionUser {
  const { data } = useSessionQuery();
  if (!data) throw new Error('useCurrentUser outside a signed-in page');
  return data.user;
}

export function hasRole(user: SessionUser, ...roles: Role[]): boolean {
  return roles.includes(user.role);
}

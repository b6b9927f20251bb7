import { hasScope, type ApiKeyScope } from '../api-keys.js';
import type { ApiKeyRecord } from '../../store/api-key-queries.js';
import { ROLE_SCOPES, type Role } from './roles.js';

/** A person signed in with a session. */
export interface UserPrincipal {
  kind: 'user';
  userId: string;
  name: string;
  role: Role;
  /** The team a head runs (or a manager belongs to). */
  teamId: string | null;
  /** The routing profile that receives leads; null for admins and qualifiers without one. */
  managerId: string | null;
}

/** An integration calling with an API key. */
export interface ApiKeyPrincipal {
  kind: 'api-key';
  key: ApiKeyRecord;
}

/** The system itself: the SLA sweeper, the dispatcher, the CLI. */
export interface SystemPrincipal {
  kind: 'system';
  name: string;
}

export type Principal = UserPrincipal | ApiKeyPrincipal | SystemPrincipal;

/** How the journal, the audit log and events name who did something. */
export function actorName(principal: Principal): string {
  switch (principal.kind) {
    case 'user':
      return `user:${principal.userId}`;
    case 'api-key':
      return `api-key:${principal.key.id}`;
    case 'system':
      return `system:${principal.name}`;
  }
}

export function principalHasScope(principal: Principal, scope: ApiKeyScope): boolean {
  switch (principal.kind) {
    case 'user':
      return principal.role === 'admin' || ROLE_SCOPES[principal.role].includes(scope);
    case 'api-key':
      return hasScope(principal.key, scope);
    case 'system':
      return true;
  }
}

export function isAdmin(principal: Principal): boolean {
  return principal.kind === 'system' || (principal.kind === 'user' ? principal.role === 'admin' : hasScope(principal.key, 'admin'));
}

export const SYSTEM = (name: string): SystemPrincipal => ({ kind: 'system', name });

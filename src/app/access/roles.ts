import type { ApiKeyScope } from '../api-keys.js';

export const ROLES = ['admin', 'head', 'manager', 'qualifier'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What each role may do at all; which leads it may do it to is decided per lead
 * (see lead-access.ts). Heads run their team's day and their own team's managers' routing
 * profiles and absences (narrowed in team/team-access.ts), but not the rules or people.
 */
export const ROLE_SCOPES: Record<Role, readonly ApiKeyScope[]> = {
  admin: ['admin'],
  head: ['leads:read', 'leads:write', 'leads:work', 'leads:manage', 'team:read', 'rules:read'],
  manager: ['leads:read', 'leads:write', 'leads:work', 'team:read'],
  qualifier: ['leads:read', 'leads:write', 'leads:work'],
};

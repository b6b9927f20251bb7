import type { Role } from '@/api/types';

export interface NavItem {
  path: string;
  /** A key of the `nav` catalogue section. */
  label: 'myLeads' | 'teamLeads' | 'allLeads' | 'pool' | 'tasks' | 'qualification' | 'team' | 'transfers' | 'simulation' | 'notifications';
}

/** What each role works with, in the order of their day. */
export function navigationFor(role: Role): NavItem[] {
  switch (role) {
    case 'manager':
      return [
        { path: '/leads', label: 'myLeads' },
        { path: '/pool', label: 'pool' },
        { path: '/tasks', label: 'tasks' },
        { path: '/transfers', label: 'transfers' },
        { path: '/notifications', label: 'notifications' },
      ];
    case 'qualifier':
      return [
        { path: '/qualification', label: 'qualification' },
        { path: '/notifications', label: 'notifications' },
      ];
    case 'head':
    case 'admin':
      return [
        { path: '/team', label: 'team' },
        { path: '/leads', label: role === 'head' ? 'teamLeads' : 'allLeads' },
        { path: '/transfers', label: 'transfers' },
        { path: '/pool', label: 'pool' },
        { path: '/qualification', label: 'qualification' },
        { path: '/tasks', label: 'tasks' },
        { path: '/simulation', label: 'simulation' },
        { path: '/notifications', label: 'notifications' },
      ];
  }
}

/** Where a person lands after sign-in. */
export function homePathFor(role: Role): string {
  return navigationFor(role)[0]?.path ?? '/leads';
}

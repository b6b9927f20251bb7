import type { Role } from '@/api/types';

export interface NavItem {
  path: string;
  /** A key of the `nav` catalogue section. */
  label:
    | 'myLeads' | 'clients' | 'teamLeads' | 'allLeads' | 'pool' | 'tasks' | 'qualification' | 'team' | 'reports' | 'myFigures' | 'motivation' | 'bonuses' | 'transfers' | 'simulation' | 'notifications'
    | 'rules' | 'people' | 'sla' | 'catalogues' | 'apiKeys' | 'webhooks' | 'integrations' | 'forms' | 'imports' | 'audit';
}

/** What each role works with, in the order of their day. */
export function navigationFor(role: Role): NavItem[] {
  switch (role) {
    case 'manager':
      return [
        { path: '/leads', label: 'myLeads' },
        { path: '/pool', label: 'pool' },
        { path: '/tasks', label: 'tasks' },
        { path: '/clients', label: 'clients' },
        { path: '/reports', label: 'myFigures' },
        { path: '/motivation', label: 'motivation' },
        { path: '/bonuses', label: 'bonuses' },
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
        { path: '/reports', label: 'reports' },
        { path: '/motivation', label: 'motivation' },
        { path: '/bonuses', label: 'bonuses' },
        { path: '/leads', label: role === 'head' ? 'teamLeads' : 'allLeads' },
        { path: '/clients', label: 'clients' },
        { path: '/transfers', label: 'transfers' },
        { path: '/pool', label: 'pool' },
        { path: '/qualification', label: 'qualification' },
        { path: '/tasks', label: 'tasks' },
        { path: '/simulation', label: 'simulation' },
        { path: '/notifications', label: 'notifications' },
      ];
  }
}

/**
 * The configuration console: heads read the rules (and try drafts in the simulation) and run
 * their team's people; the administrator sets up everything.
 */
export function settingsNavigationFor(role: Role): NavItem[] {
  switch (role) {
    case 'manager':
    case 'qualifier':
      return [];
    case 'head':
      return [
        { path: '/settings/rules', label: 'rules' },
        { path: '/settings/people', label: 'people' },
        { path: '/settings/imports', label: 'imports' },
      ];
    case 'admin':
      return [
        { path: '/settings/rules', label: 'rules' },
        { path: '/settings/people', label: 'people' },
        { path: '/settings/sla', label: 'sla' },
        { path: '/settings/catalogues', label: 'catalogues' },
        { path: '/settings/api-keys', label: 'apiKeys' },
        { path: '/settings/webhooks', label: 'webhooks' },
        { path: '/settings/integrations', label: 'integrations' },
        { path: '/settings/forms', label: 'forms' },
        { path: '/settings/imports', label: 'imports' },
        { path: '/settings/audit', label: 'audit' },
      ];
  }
}

/** Where a person lands after sign-in. */
export function homePathFor(role: Role): string {
  return navigationFor(role)[0]?.path ?? '/leads';
}

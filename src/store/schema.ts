import type { Generated } from 'kysely';

/**
 * Column conventions, the same on both databases so the code above has one path:
 * ids are text (UUIDs), timestamps ISO-8601 UTC text in and out (PostgreSQL timestamptz is
 * parsed back to ISO by the driver seam), JSON columns hold text written by JSON.stringify
 * and read with readJson, flags are 0/1 integers.
 */
export interface TeamsTable {
  id: string;
  name: string;
  created_at: string;
}

export interface ManagersTable {
  id: string;
  team_id: string | null;
  name: string;
  email: string | null;
  role: string;
  weight: number;
  max_open: number | null;
  max_per_day: number | null;
  skills: string;
  industries: string;
  regions: string;
  languages: string;
  time_zone: string;
  working_hours: string | null;
  paused: number;
  active: number;
  open_leads: number;
  today_date: string | null;
  today_count: number;
  created_at: string;
  updated_at: string;
}

export interface AbsencesTable {
  id: string;
  manager_id: string;
  starts_on: string;
  ends_on: string;
  reason: string | null;
  created_at: string;
}

export interface CompaniesTable {
  id: string;
  name: string;
  name_key: string | null;
  tax_id: string | null;
  domain: string | null;
  parent_id: string | null;
  size: number | null;
  industry: string | null;
  region: string | null;
  owner_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface ContactsTable {
  id: string;
  name: string | null;
  company_id: string | null;
  owner_id: string | null;
  phones: string;
  emails: string;
  created_at: string;
  updated_at: string;
}

export interface ContactKeysTable {
  kind: string;
  value: string;
  contact_id: string;
}

export interface LeadsTable {
  id: string;
  status: string;
  owner_id: string | null;
  name: string | null;
  phone: string | null;
  phone_raw: string | null;
  email: string | null;
  company_name: string | null;
  company_name_key: string | null;
  tax_id: string | null;
  domain: string | null;
  website: string | null;
  source: string | null;
  channel: string | null;
  campaign: string | null;
  utm: string | null;
  region: string | null;
  country: string | null;
  industry: string | null;
  company_size: number | null;
  product_interest: string;
  deal_value: number | null;
  language: string | null;
  score: number | null;
  priority: string | null;
  comment: string | null;
  custom: string;
  contact_id: string | null;
  company_id: string | null;
  duplicate_of: string | null;
  match: string | null;
  problems: string | null;
  api_key_id: string | null;
  idempotency_key: string | null;
  idempotency_index: number | null;
  request_hash: string | null;
  assigned_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface LeadKeysTable {
  kind: string;
  value: string;
  lead_id: string;
}

export interface RuleSetsTable {
  id: string;
  version: number;
  status: string;
  definition: string;
  author: string;
  comment: string | null;
  created_at: string;
  published_at: string | null;
  published_by: string | null;
}

export interface RoutingLockTable {
  id: number;
  decisions: number;
  last_decided_at: string | null;
}

export interface RoutingStateTable {
  rule_id: string;
  manager_id: string;
  credit: number;
  assigned: number;
  last_assigned_at: number | null;
}

export interface AssignmentsTable {
  id: string;
  lead_id: string;
  manager_id: string | null;
  outcome: string;
  via: string;
  rule_id: string | null;
  strategy: string | null;
  rule_set_version: number | null;
  trace: string;
  actor: string;
  created_at: string;
}

export interface EventsTable {
  id: string;
  lead_id: string | null;
  type: string;
  actor: string;
  payload: string;
  created_at: string;
}

export interface OutboxTable {
  id: string;
  topic: string;
  payload: string;
  created_at: string;
  available_at: string;
  attempts: number;
  delivered_at: string | null;
  last_error: string | null;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  prefix: string;
  hash: string;
  scopes: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface Database {
  teams: TeamsTable;
  managers: ManagersTable;
  absences: AbsencesTable;
  companies: CompaniesTable;
  contacts: ContactsTable;
  contact_keys: ContactKeysTable;
  leads: LeadsTable;
  lead_keys: LeadKeysTable;
  rule_sets: RuleSetsTable;
  routing_lock: RoutingLockTable;
  routing_state: RoutingStateTable;
  assignments: AssignmentsTable;
  events: EventsTable;
  outbox: OutboxTable;
  api_keys: ApiKeysTable;
}

// Generated is re-exported so migrations and queries agree on which columns have defaults.
export type { Generated };

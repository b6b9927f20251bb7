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
  time_zone: Generated<string>;
  created_at: string;
}

export interface ManagersTable {
  id: string;
  team_id: string | null;
  name: string;
  email: string | null;
  role: string;
  weight: number;
  /** Tier in group rules, 1 first (high 1, normal 2, low 3). */
  priority: Generated<number>;
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
  kind: Generated<string>;
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
  /** JSON array of E.164 numbers (0015); each is also a company_keys row. */
  phones: Generated<string>;
  note: Generated<string | null>;
  /** Name, ИНН and domain as search compares them (companySearchText), one per line. */
  search_text: Generated<string | null>;
  /** Yearly revenue, when a base gives it (0020). */
  revenue: Generated<number | string | null>;
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
  position: Generated<string | null>;
  note: Generated<string | null>;
  /** Name and e-mails as search compares them (contactSearchText), one per line. */
  search_text: Generated<string | null>;
}

export interface CompanyKeysTable {
  kind: string;
  value: string;
  company_id: string;
}

/** Every owner a company or contact had (0015). */
export interface ClientOwnerHistoryTable {
  id: string;
  /** company or contact. */
  client_kind: string;
  client_id: string;
  owner_id: string | null;
  previous_owner_id: string | null;
  actor: string;
  reason: string | null;
  at: string;
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
  /** The manager who registered the lead (0009); null for leads that arrived from a channel. */
  originator_id: Generated<string | null>;
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
  first_contact_at: Generated<string | null>;
  last_activity_at: Generated<string | null>;
  junk_reason: Generated<string | null>;
  closed_at: Generated<string | null>;
  qualified_at: Generated<string | null>;
  qualified_by: Generated<string | null>;
  sla_policy_id: Generated<string | null>;
  /** Which clock sla_due_at belongs to: 'first_contact' or 'next_step'. */
  sla_kind: Generated<string | null>;
  sla_due_at: Generated<string | null>;
  sla_warned_at: Generated<string | null>;
  sla_breaches: Generated<number>;
  reassignments: Generated<number>;
  escalated_at: Generated<string | null>;
  /** Bumped by every change of owner or status, for conditional updates. */
  version: Generated<number>;
  /** Name, company name and e-mail as search compares them (normalizeSearchText), one per line. */
  search_text: string | null;
  /** Digits of the phone as written and as E.164, space separated. */
  search_digits: string | null;
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
  /** The manager's tier in the rule when counted; null: before tiers (any). */
  tier: number | null;
  /** The fairness period counted ('' for none). */
  period: Generated<string>;
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
  claimed_until: Generated<string | null>;
  /** live (person-facing, goes first while fresh) or bulk; see migration 0026. */
  lane: Generated<string>;
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
  /** The actor who made the key (`user:<id>`, `system:cli`); null for keys made before 0005. */
  created_by: string | null;
  /** 1: the key's leads keep unknown fields as custom fields (0013). */
  keep_unknown_fields: Generated<number>;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  role: string;
  team_id: string | null;
  manager_id: string | null;
  active: number;
  /** 'ru' or 'en' as the person chose; null: not chosen (the web app shows Russian). */
  locale: string | null;
  telegram_chat_id: string | null;
  /** JSON: event type → channels, e.g. {"lead.assigned": ["in_app", "email"]}; null means the defaults. */
  notification_prefs: string | null;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
}

export interface SessionsTable {
  /** sha256 of the cookie's token: a leaked table does not log anyone in. */
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

export interface LoginFailuresTable {
  id: string;
  email: string;
  ip: string;
  at: string;
}

export interface PipelinesTable {
  id: string;
  team_id: string | null;
  name: string;
  /** JSON array of stages: {key, label, kind: 'open' | 'converted' | 'junk'}. */
  stages: string;
  created_at: string;
  updated_at: string;
}

export interface ReasonsTable {
  id: string;
  /** 'junk' or 'transfer'. */
  kind: string;
  key: string;
  label: string;
  auto_approve: number;
  active: number;
  created_at: string;
}

export interface ActivitiesTable {
  id: string;
  lead_id: string;
  /** call, email, meeting, note. */
  kind: string;
  outcome: string | null;
  note: string | null;
  manager_id: string | null;
  actor: string;
  occurred_at: string;
  created_at: string;
}

export interface TasksTable {
  id: string;
  lead_id: string;
  assignee_id: string | null;
  title: string;
  offer: string | null;
  due_at: string;
  done_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface DealsTable {
  id: string;
  lead_id: string;
  contact_id: string | null;
  company_id: string | null;
  title: string;
  amount: number | null;
  currency: string | null;
  stage: string;
  originator_id: string | null;
  owner_id: string | null;
  /** JSON array: {key: 'presentation' | 'proposal' | 'contract' | …, at: ISO | null}. */
  control_points: string;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

export interface SlaPoliciesTable {
  id: string;
  name: string;
  /** Lower first: the first active policy whose match fits the lead applies. */
  position: number;
  /** JSON: {sources?: string[], priorities?: string[], teamIds?: string[]}; empty matches all. */
  match: string;
  first_contact_minutes: number;
  next_step_minutes: number | null;
  warn_before_minutes: number | null;
  max_reassignments: number;
  /** 'head' or 'pool': where a lead goes after max_reassignments breaches. */
  on_exhausted: string;
  active: number;
  created_at: string;
  updated_at: string;
}

export interface HolidaysTable {
  id: string;
  /** Local date YYYY-MM-DD. */
  day: string;
  name: string;
  team_id: string | null;
  created_at: string;
}

export interface TransfersTable {
  id: string;
  lead_id: string;
  from_manager_id: string | null;
  to_manager_id: string | null;
  reason: string;
  comment: string | null;
  /** requested, approved, rejected, cancelled. */
  status: string;
  requested_by: string;
  decided_by: string | null;
  decision_comment: string | null;
  override_reason: string | null;
  created_at: string;
  decided_at: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface WebhooksTable {
  id: string;
  url: string;
  secret: string;
  topics: string;
  active: number;
  created_at: string;
}

export interface DeliveriesTable {
  id: string;
  outbox_id: string;
  topic: string;
  /** in_app, email, telegram, webhook. */
  channel: string;
  /** A user id, or a webhook id for the webhook channel. */
  recipient: string;
  payload: string;
  /** pending, delivered, failed (gave up after the last retry). */
  status: string;
  attempts: number;
  next_attempt_at: string;
  claimed_until: string | null;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
  /** live or bulk: the lane its outbox message was fanned out in (see migration 0026). */
  lane: Generated<string>;
}

export interface NotificationsTable {
  id: string;
  user_id: string;
  topic: string;
  payload: string;
  created_at: string;
  read_at: string | null;
}

export interface AuditLogTable {
  id: string;
  /** user:<id>, api-key:<id>, system:<worker>. */
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  before: string | null;
  after: string | null;
  at: string;
}

export interface SourceHealthIncidentsTable {
  id: string;
  source: string;
  /** 'silence' or 'junk'. */
  kind: string;
  opened_at: string;
  resolved_at: string | null;
  /** JSON: the figures that opened the incident. */
  details: string;
  /** JSON: the figures that closed it. */
  resolution: string | null;
}

/** A plan's target (0010): per month, team or manager, and metric. */
export interface PlansTable {
  id: string;
  /** 'YYYY-MM' in the team's time zone. */
  period: string;
  team_id: string;
  /** null: the team's own target. */
  manager_id: string | null;
  metric: string;
  target: number;
  updated_by: string;
  created_at: string;
  updated_at: string;
}

/** The terms a won deal was closed under (0011): the closer's team then and its bonus settings (JSON). */
export interface BonusTermsTable {
  deal_id: string;
  closer_id: string | null;
  team_id: string | null;
  terms: string;
  won_at: string;
}

/** A team's closed bonus month (0011); the primary key (team_id, period) refuses a second close. */
export interface BonusPeriodsTable {
  team_id: string;
  period: string;
  closed_at: string;
  closed_by: string;
  closed_by_name: string;
}

/** A bonus line frozen when its period closed (0011); amounts in minor units. */
export interface BonusLinesTable {
  id: string;
  team_id: string;
  period: string;
  deal_id: string;
  lead_id: string;
  deal_title: string;
  manager_id: string | null;
  manager_name: string | null;
  role: string;
  share_bp: number;
  amount_minor: number | null;
  currency: string | null;
  rate_bp: number | null;
  bonus_minor: number | null;
  adjustment: number;
  adjusts_period: string | null;
  team_name: string;
  won_at: string;
}

export interface SourceHealthLockTable {
  id: number;
  checked_at: string | null;
}

export interface FormSourcesTable {
  id: string;
  name: string;
  public_key: string;
  api_key_id: string;
  source: string | null;
  channel: string | null;
  campaign: string | null;
  field_map: string;
  allowed_origins: string;
  thank_you_url: string | null;
  honeypot_field: string | null;
  min_seconds: number;
  keep_unknown: number;
  per_ip_per_minute: number;
  per_form_per_minute: number;
  captcha_secret: string | null;
  active: number;
  created_at: string;
  updated_at: string;
}

export interface FormQuarantineTable {
  id: string;
  /** The web form; null for a CRM connector's lead (migration 0025). */
  form_id: string | null;
  connector_id: string | null;
  fields: string;
  input: string;
  issues: string;
  idempotency_key: string | null;
  status: string;
  lead_id: string | null;
  received_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
}

/** A lead whose report facts may have changed (marked by triggers); see migration 0018. */
export interface ReportDirtyTable {
  lead_id: string;
  version: number;
  /** The version last refreshed (migration 0024); dirty while version > done_version. */
  done_version: number;
}

export interface ReportLeadFactsTable {
  lead_id: string;
  /** JSON: { report: [contribution, …] }. */
  facts: string;
}

/** The sum of the contributions of the leads of one local day, manager, source, campaign and rule to one report. */
export interface ReportRollupsTable {
  zone: string;
  report: string;
  day: string;
  manager_id: string;
  source: string;
  campaign: string;
  rule_id: string;
  extra: string;
  tally: string;
}

export interface ReportRollupZonesTable {
  zone: string;
  built_at: string | null;
  cursor: string | null;
}

export interface ReportRollupStateTable {
  id: number;
  /** bigint: PostgreSQL returns it as text. */
  refreshes: number | string;
  /** Bumped by triggers when calendars, SLA policies or teams change (migration 0022). */
  config_version: number;
  /** The config_version the stored facts were computed with. */
  built_config_version: number;
  /** Bumped whenever the rollups start over (migration 0029): a report that chose them sees it. */
  resets: number;
}

/** A lead whose figures in a report still change with the clock, until settles_at (migration 0022). */
export interface ReportUnsettledTable {
  lead_id: string;
  report: string;
  settles_at: string;
}

export interface Database {
  teams: TeamsTable;
  managers: ManagersTable;
  absences: AbsencesTable;
  companies: CompaniesTable;
  contacts: ContactsTable;
  contact_keys: ContactKeysTable;
  company_keys: CompanyKeysTable;
  client_owner_history: ClientOwnerHistoryTable;
  leads: LeadsTable;
  lead_keys: LeadKeysTable;
  rule_sets: RuleSetsTable;
  routing_lock: RoutingLockTable;
  routing_state: RoutingStateTable;
  assignments: AssignmentsTable;
  events: EventsTable;
  outbox: OutboxTable;
  api_keys: ApiKeysTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
  pipelines: PipelinesTable;
  reasons: ReasonsTable;
  activities: ActivitiesTable;
  tasks: TasksTable;
  deals: DealsTable;
  sla_policies: SlaPoliciesTable;
  holidays: HolidaysTable;
  transfers: TransfersTable;
  settings: SettingsTable;
  webhooks: WebhooksTable;
  deliveries: DeliveriesTable;
  notifications: NotificationsTable;
  audit_log: AuditLogTable;
  source_health_incidents: SourceHealthIncidentsTable;
  source_health_lock: SourceHealthLockTable;
  bonus_terms: BonusTermsTable;
  bonus_periods: BonusPeriodsTable;
  bonus_lines: BonusLinesTable;
  plans: PlansTable;
  report_dirty: ReportDirtyTable;
  report_lead_facts: ReportLeadFactsTable;
  report_rollups: ReportRollupsTable;
  report_rollup_zones: ReportRollupZonesTable;
  report_rollup_state: ReportRollupStateTable;
  report_unsettled: ReportUnsettledTable;
  form_sources: FormSourcesTable;
  form_quarantine: FormQuarantineTable;
  import_jobs: ImportJobsTable;
  import_errors: ImportErrorsTable;
  import_presets: ImportPresetsTable;
  import_clients: ImportClientsTable;
  client_splits: ClientSplitsTable;
  client_split_entries: ClientSplitEntriesTable;
  telegram_link_codes: TelegramLinkCodesTable;
  telegram_bot_state: TelegramBotStateTable;
  telegram_updates: TelegramUpdatesTable;
  telegram_messages: TelegramMessagesTable;
  crm_connectors: CrmConnectorsTable;
  crm_user_map: CrmUserMapTable;
  crm_lead_links: CrmLeadLinksTable;
}

/** A one-time code of a Telegram deep link; only its sha256 is stored. */
export interface TelegramLinkCodesTable {
  code_hash: string;
  user_id: string;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

export interface TelegramBotStateTable {
  id: number;
  /** bigint: PostgreSQL returns it as text. */
  update_offset: number | string;
  poller: string | null;
  poller_until: string | null;
}

export interface TelegramUpdatesTable {
  update_id: number | string;
  handled_at: string;
}

export interface TelegramMessagesTable {
  id: string;
  chat_id: string;
  message_id: number | string;
  lead_id: string;
  user_id: string;
  kind: string;
  text: string;
  created_at: string;
}

// Generated is re-exported so migrations and queries agree on which columns have defaults.
export type { Generated };

/** A file import of the web app (0017): the uploaded file, its mapping, progress and counts. */
export interface ImportJobsTable {
  id: string;
  file_name: string;
  format: string;
  size_bytes: number;
  file_hash: string;
  header: string;
  csv_encoding: string | null;
  csv_delimiter: string | null;
  mapping: string;
  status: string;
  sla_clocks: number;
  rows_read: number;
  chunks_done: number;
  last_row: number;
  bytes_read: number;
  created_count: number;
  replayed_count: number;
  rejected_count: number;
  assigned_count: number;
  pooled_count: number;
  by_owner: string;
  run_ms: number;
  error: string | null;
  created_by: string;
  started_at: string | null;
  finished_at: string | null;
  created_at: string;
  updated_at: string;
  /** leads or companies (0020). */
  kind: Generated<string>;
}

export interface ImportErrorsTable {
  job_id: string;
  row: number;
  seq: number;
  field: string;
  code: string;
  message: string;
}

export interface ImportPresetsTable {
  id: string;
  name: string;
  mapping: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** The companies a company import brought or matched (0020). */
export interface ImportClientsTable {
  job_id: string;
  company_id: string;
}

/** A split of company ownership among managers (0020). */
export interface ClientSplitsTable {
  id: string;
  method: string;
  params: string;
  status: string;
  company_count: number;
  changed_count: number;
  per_manager: string;
  team_id: string | null;
  created_by: string;
  created_at: string;
  undone_by: string | null;
  undone_at: string | null;
  restored_count: number | null;
}

/** Per company of a split: the owner before and the one the split gave (0020). */
export interface ClientSplitEntriesTable {
  split_id: string;
  company_id: string;
  previous_owner_id: string | null;
  owner_id: string;
}

/** A connected Bitrix24 portal or amoCRM account (0021). */
export interface CrmConnectorsTable {
  id: string;
  kind: string;
  name: string;
  public_key: string;
  api_key_id: string;
  endpoint: string;
  access_token: string | null;
  event_token: string | null;
  settings: string;
  active: number;
  last_seen_id: string | null;
  last_polled_at: string | null;
  last_sync_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
  leads_in: Generated<number>;
  poller: string | null;
  poller_until: string | null;
  created_at: string;
  updated_at: string;
}

/** Which CRM user a leadrouter manager is, per connector (0021). */
export interface CrmUserMapTable {
  connector_id: string;
  manager_id: string;
  crm_user_id: string;
  crm_user_name: string | null;
  updated_at: string;
}

/** Which CRM lead a leadrouter lead is (0021). */
export interface CrmLeadLinksTable {
  connector_id: string;
  crm_id: string;
  lead_id: string;
  direction: string;
  created_at: string;
}

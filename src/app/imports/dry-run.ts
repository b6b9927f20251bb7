import type { CountryCode } from '../../core/normalize/index.js';
import type { TextEncodingName } from '../../core/intake/text-file.js';
import { findCompaniesByKeys, findContactsByKeys } from '../../store/client-queries.js';
import { findOpenLeadsByKeys } from '../../store/lead-queries.js';
import type { AppContext } from '../app-context.js';
import type { FieldIssue } from '../errors.js';
import type { LeadInput } from '../intake/lead-input.js';
import { ClientIndex, ownerOf } from '../intake/match-lead.js';
import { leadOfCells, validateLeadRow } from '../intake/parse-lead-file.js';
import { prepareLead, type PreparedLead } from '../intake/prepare-lead.js';
import { chooseRuleSet, loadSimulationWorld, startSimulationRun } from '../routing/simulate-routing.js';
import { mappingReader, type ColumnMapping } from './import-mapping.js';
import { openLeadFile, type ImportFormat } from './lead-file-stream.js';

export interface DryRunRow {
  row: number;
  status: 'valid' | 'error' | 'duplicate';
  /** What names the lead: its name and company, else its e-mail or phone. */
  label: string | null;
  issues: FieldIssue[];
  /** The open lead (or an earlier row of this file) this row repeats. */
  duplicateOf: { leadId: string | null; row: number | null; label: string; companyId?: string } | null;
  outcome: 'assigned' | 'pool' | null;
  managerId: string | null;
  managerName: string | null;
  via: string | null;
}

export interface DryRunReport {
  rows: DryRunRow[];
  totals: {
    rows: number;
    valid: number;
    errors: number;
    /** Among the rows routed (see `routedRows`): rows repeating an open lead or an earlier row. */
    duplicates: number;
    assigned: number;
    pool: number;
    perManager: Array<{ managerId: string; name: string; count: number }>;
    /** Valid rows routed by the published rules in memory: all of them, up to MAX_ROUTED. */
    routedRows: number;
    sampled: boolean;
  };
  ruleSetVersion: number | null;
}

const CHUNK = 500;
/** Beyond this many valid rows a dry run only checks rows: the routing figures are of the first ones. */
export const MAX_ROUTED = 50_000;

/**
 * What importing the file would do, writing nothing: every row checked as intake checks it,
 * and the valid ones matched against the clients and open leads already stored (a duplicate
 * names the lead it repeats) and routed in memory by the published rules from today's loads,
 * as the routing simulation does. The first `limit` rows are reported one by one, with totals
 * for the whole file.
 */
export async function dryRunImport(ctx: AppContext, input: { path: string; format: ImportFormat; encoding?: TextEncodingName; mapping: ColumnMapping; limit: number }): Promise<DryRunReport> {
  const reader = await openLeadFile(input.path, input.format, input.encoding ? { encoding: input.encoding } : {});
  const columns = mappingReader(input.mapping);
  const world = await loadSimulationWorld(ctx, { kind: 'inputs', leads: [] });
  const { ruleSet, version } = await chooseRuleSet(ctx, {}, world.snapshot);
  const run = startSimulationRun({ ruleSet, version, managers: world.managers, priorConversionRate: world.snapshot.priorConversionRate });
  const names = new Map(world.managers.map((m) => [m.id as string, m.name]));
  const country = ctx.config.defaultCountry as CountryCode;
  const at = ctx.now().getTime();

  const shown: DryRunRow[] = [];
  const totals: DryRunReport['totals'] = { rows: 0, valid: 0, errors: 0, duplicates: 0, assigned: 0, pool: 0, perManager: [], routedRows: 0, sampled: false };
  const perManager = new Map<string, number>();
  // Rows of this file already routed, so a second identical row is a duplicate of the first.
  const fileIndex = new ClientIndex([], [], []);
  let chunk: Array<{ row: number; lead: LeadInput; shown: DryRunRow | null }> = [];

  const route = async () => {
    const prepared = chunk.map((c) => prepareLead(c.lead, country));
    const known = await knownClients(ctx, prepared);
    const stored = new ClientIndex(known.contacts, known.companies, known.openLeads);
    const openLabels = known.openLeads.length > 0 ? await leadLabels(ctx, chunk.some((c) => c.shown) ? known.openLeads.map((l) => l.duplicateOf ?? l.id) : []) : new Map<string, string>();
    chunk.forEach((c, i) => {
      const lead = prepared[i] as PreparedLead;
      const match = stored.match(lead);
      const inFile = match.duplicateOf ? null : fileIndex.match(lead);
      const duplicateRow = inFile?.duplicateOf ? Number(inFile.duplicateOf.slice('row:'.length)) : null;
      const decision = run.route({ facts: lead.facts, at, owner: ownerOf(match) ?? (inFile ? ownerOf(inFile) : null), ref: { id: null, label: '', row: c.row } });
      const managerId = decision.outcome === 'assigned' ? decision.managerId : null;
      fileIndex.addOpenLead({ id: `row:${c.row}`, duplicateOf: null, ownerId: managerId, keys: [...lead.keys.phones.map((value) => ({ kind: 'phone', value })), ...lead.keys.emails.map((value) => ({ kind: 'email', value })), ...(lead.keys.taxId ? [{ kind: 'taxId', value: lead.keys.taxId }] : [])] });
      totals.routedRows++;
      const duplicate = Boolean(match.duplicateOf) || duplicateRow !== null;
      if (duplicate) totals.duplicates++;
      if (managerId) {
        totals.assigned++;
        perManager.set(managerId, (perManager.get(managerId) ?? 0) + 1);
      } else totals.pool++;
      if (c.shown) {
        c.shown.status = duplicate ? 'duplicate' : 'valid';
        c.shown.duplicateOf = match.duplicateOf
          ? { leadId: match.duplicateOf, row: null, label: openLabels.get(match.duplicateOf) ?? match.duplicateOf }
          : duplicateRow !== null
            ? { leadId: null, row: duplicateRow, label: `#${duplicateRow}` }
            : null;
        c.shown.outcome = decision.outcome === 'assigned' ? 'assigned' : 'pool';
        c.shown.managerId = managerId;
        c.shown.managerName = managerId ? (names.get(managerId) ?? managerId) : null;
        c.shown.via = decision.via;
      }
    });
    chunk = [];
  };

  for await (const { row, cells } of reader.rows) {
    totals.rows++;
    const checked = validateLeadRow(leadOfCells(cells, columns));
    const show = shown.length < input.limit;
    if (!checked.ok) {
      totals.errors++;
      if (show) shown.push({ row, status: 'error', label: labelOfCells(cells, columns), issues: checked.issues, duplicateOf: null, outcome: null, managerId: null, managerName: null, via: null });
      continue;
    }
    totals.valid++;
    if (totals.routedRows + chunk.length >= MAX_ROUTED) {
      totals.sampled = true;
      continue;
    }
    const entry: DryRunRow | null = show ? { row, status: 'valid', label: labelOf(checked.lead), issues: [], duplicateOf: null, outcome: null, managerId: null, managerName: null, via: null } : null;
    if (entry) shown.push(entry);
    chunk.push({ row, lead: checked.lead, shown: entry });
    if (chunk.length >= CHUNK) await route();
  }
  if (chunk.length > 0) await route();
  totals.perManager = [...perManager].map(([managerId, count]) => ({ managerId, name: names.get(managerId) ?? managerId, count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  return { rows: shown, totals, ruleSetVersion: version };
}

async function knownClients(ctx: AppContext, leads: PreparedLead[]) {
  const unique = <T>(values: T[]): T[] => [...new Set(values)];
  const keys = {
    phones: unique(leads.flatMap((l) => l.keys.phones)),
    emails: unique(leads.flatMap((l) => l.keys.emails)),
    taxIds: unique(leads.flatMap((l) => (l.keys.taxId ? [l.keys.taxId] : []))),
  };
  const contacts = await findContactsByKeys(ctx.store.db, { phones: keys.phones, emails: keys.emails });
  const companies = await findCompaniesByKeys(ctx.store.db, {
    taxIds: keys.taxIds,
    domains: unique(leads.flatMap((l) => (l.keys.domain ? [l.keys.domain] : []))),
    nameKeys: unique(leads.flatMap((l) => (l.keys.companyNameKey ? [l.keys.companyNameKey] : []))),
    ids: unique(contacts.flatMap((c) => (c.companyId ? [c.companyId] : []))),
  });
  return { contacts, companies, openLeads: await findOpenLeadsByKeys(ctx.store.db, keys) };
}

async function leadLabels(ctx: AppContext, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await ctx.store.db.selectFrom('leads').select(['id', 'name', 'company_name', 'email', 'phone']).where('id', 'in', [...new Set(ids)].slice(0, 1000)).execute();
  return new Map(rows.map((r) => [r.id, [r.name, r.company_name].filter(Boolean).join(', ') || r.email || r.phone || r.id]));
}

function labelOf(lead: LeadInput): string | null {
  const parts = [lead.name, lead.companyName].filter((v): v is string => Boolean(v));
  return parts.length > 0 ? parts.join(', ') : (lead.email ?? lead.phone ?? null);
}

function labelOfCells(cells: Array<[string, unknown]>, columns: { fieldOf(column: string): string | null }): string | null {
  const value = (field: string) => {
    const cell = cells.find(([c]) => columns.fieldOf(c) === field)?.[1];
    return cell === undefined || cell === '' ? undefined : String(cell);
  };
  const parts = [value('name'), value('companyName')].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : (value('email') ?? value('phone') ?? null);
}

import type { Kysely } from 'kysely';
import { numberFromText, squashName } from '../../core/intake/field-names.js';
import type { TextEncodingName } from '../../core/intake/text-file.js';
import { companyNameKey, normalizeTaxId, type CountryCode } from '../../core/normalize/index.js';
import { contactsWithKeys, findCompany, insertCompany, insertContact, insertOwnerHistory, updateCompany, wouldLoop, type CompanyRecord } from '../../store/client-base-queries.js';
import type { Database } from '../../store/schema.js';
import { actorName, type Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { recordAudit } from '../audit/audit-trail.js';
import { clientWriteScope, normalizedDomain, normalizedEmails, normalizedPhones, normalizedTaxId, type ClientWriteScope } from '../clients/client-common.js';
import { LeadRouterError, type FieldIssue } from '../errors.js';
import type { Cell } from '../intake/parse-lead-file.js';
import type { DryRunReport, DryRunRow } from './dry-run.js';
import { checkMappingFor, suggestMappingFor, type ColumnMapping, type MappingTarget } from './import-mapping.js';
import { openLeadFile, type ImportFormat } from './lead-file-stream.js';

/**
 * Importing a client base (issue 14 §3): each row of a CSV or .xlsx is a company (name, ИНН,
 * site, phones, region, industry, size, revenue, owner by e-mail, holding by ИНН or name) and
 * optionally one of its people. The file is read as a stream by the same reader as lead imports;
 * rows are written 500 at a time, each chunk in one transaction. A company is found again by its
 * ИНН, else its domain, else its normalised name (when that names one company without another
 * ИНН), so importing the same file twice adds nothing twice: a company already there only gets
 * its empty fields filled.
 */

/** The fields a column of a company file may feed, in the order a person picks them. */
export const COMPANY_IMPORT_FIELDS = [
  'name',
  'taxId',
  'domain',
  'phone',
  'region',
  'industry',
  'size',
  'revenue',
  'owner',
  'parent',
  'note',
  'contactName',
  'contactPhone',
  'contactEmail',
  'contactPosition',
] as const;
export type CompanyImportField = (typeof COMPANY_IMPORT_FIELDS)[number];

const NAMES: Readonly<Record<CompanyImportField, readonly string[]>> = {
  name: ['name', 'company', 'companyname', 'organization', 'organisation', 'компания', 'организация', 'название', 'наименование', 'названиекомпании', 'клиент', 'контрагент'],
  taxId: ['inn', 'инн', 'taxid'],
  domain: ['domain', 'website', 'site', 'url', 'сайт', 'домен'],
  phone: ['phone', 'phones', 'tel', 'telephone', 'телефон', 'телефоны', 'тел'],
  region: ['region', 'city', 'регион', 'город', 'территория'],
  industry: ['industry', 'отрасль', 'сфера'],
  size: ['size', 'employees', 'companysize', 'сотрудники', 'сотрудников', 'численность', 'штат', 'числосотрудников'],
  revenue: ['revenue', 'turnover', 'выручка', 'оборот', 'годоваявыручка'],
  owner: ['owner', 'manager', 'owneremail', 'manageremail', 'ответственный', 'менеджер', 'владелец', 'почтаменеджера'],
  parent: ['parent', 'holding', 'parentcompany', 'parentinn', 'холдинг', 'головнаякомпания', 'материнскаякомпания', 'иннхолдинга'],
  note: ['note', 'comment', 'комментарий', 'примечание', 'заметка'],
  contactName: ['contact', 'contactname', 'fio', 'фио', 'контакт', 'контактноелицо', 'имя'],
  contactPhone: ['contactphone', 'mobile', 'телефонконтакта', 'мобильный'],
  contactEmail: ['email', 'mail', 'contactemail', 'почта', 'электроннаяпочта', 'emailконтакта'],
  contactPosition: ['position', 'title', 'должность'],
};
const BY_NAME = new Map<string, CompanyImportField>(Object.entries(NAMES).flatMap(([field, names]) => names.map((n) => [n, field as CompanyImportField] as const)));
const FIELDS = new Set<string>(COMPANY_IMPORT_FIELDS);

const COMPANY_TARGET: MappingTarget = {
  isField: (field) => FIELDS.has(field),
  fieldOfHeader: (column) => BY_NAME.get(squashName(column)) ?? null,
  fieldsHint: COMPANY_IMPORT_FIELDS.join(', '),
  noun: 'company',
};

/** The mapping suggested from a header: a column named as a field, else by the names people give it; each field once. */
export function suggestCompanyMapping(header: readonly string[]): ColumnMapping {
  return suggestMappingFor(header, COMPANY_TARGET);
}

/** A company mapping checked against the header: known columns and fields, each field once, and a column for the name. */
export function checkCompanyMapping(mapping: ColumnMapping, header: readonly string[]): ColumnMapping {
  const checked = checkMappingFor(mapping, header, COMPANY_TARGET);
  if (!checked.fields.has('name')) throw new LeadRouterError('LR_ERR_VALIDATION', 'Map a column to name: a company needs its name', [{ path: 'mapping', code: 'no_name_field', message: 'a company needs a name' }]);
  return checked.mapping;
}

/** One row read and checked: the company, its optional contact, and the references resolved later (owner, holding). */
interface CompanyRow {
  name: string;
  taxId: string | null;
  domain: string | null;
  phones: string[];
  region: string | null;
  industry: string | null;
  size: number | null;
  revenue: number | null;
  ownerEmail: string | null;
  parent: string | null;
  note: string | null;
  contact: { name: string | null; phones: string[]; emails: string[]; position: string | null } | null;
}

const textOfCell = (cell: Cell | undefined): string => (cell === undefined ? '' : String(cell).trim());
const listOf = (text: string): string[] =>
  text
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

function readRow(cells: Array<[string, Cell | undefined]>, mapping: ColumnMapping, country: CountryCode): { ok: true; row: CompanyRow } | { ok: false; issues: FieldIssue[]; label: string | null } {
  const value: Partial<Record<CompanyImportField, string>> = {};
  for (const [column, cell] of cells) {
    const field = mapping[column] as CompanyImportField | null | undefined;
    if (!field) continue;
    const text = textOfCell(cell);
    if (text !== '') value[field] = text;
  }
  const issues: FieldIssue[] = [];
  const name = value.name?.slice(0, 300) ?? '';
  if (name === '') issues.push({ path: 'name', code: 'required', message: 'The company has no name' });
  const taxId = normalizedTaxId(value.taxId, issues) ?? null;
  const domain = normalizedDomain(value.domain, issues) ?? null;
  const phones = normalizedPhones(listOf(value.phone ?? ''), country, issues, 'phone');
  const number = (field: 'size' | 'revenue'): number | null => {
    const text = value[field];
    if (text === undefined) return null;
    const n = numberFromText(text);
    if (n === null || n < 0) {
      issues.push({ path: field, code: 'not_a_number', message: `«${text}» is not a number` });
      return null;
    }
    return Math.round(n);
  };
  const size = number('size');
  const revenue = number('revenue');
  const contactIssues: FieldIssue[] = [];
  const contactPhones = normalizedPhones(listOf(value.contactPhone ?? ''), country, contactIssues, 'contactPhone');
  const contactEmails = normalizedEmails(listOf(value.contactEmail ?? ''), contactIssues, 'contactEmail');
  issues.push(...contactIssues);
  const ownerEmail = value.owner ? value.owner.toLowerCase() : null;
  if (ownerEmail !== null && !/^[^@\s]+@[^@\s]+$/.test(ownerEmail)) issues.push({ path: 'owner', code: 'not_an_email', message: `«${value.owner}» is not the e-mail of a manager` });
  if (issues.length > 0) return { ok: false, issues, label: name || null };
  const hasContact = Boolean(value.contactName) || contactPhones.length > 0 || contactEmails.length > 0;
  return {
    ok: true,
    row: {
      name,
      taxId,
      domain,
      phones,
      region: value.region?.slice(0, 200) ?? null,
      industry: value.industry?.slice(0, 200) ?? null,
      size,
      revenue,
      ownerEmail,
      parent: value.parent?.slice(0, 300) ?? null,
      note: value.note?.slice(0, 5000) ?? null,
      contact: hasContact ? { name: value.contactName?.slice(0, 300) ?? null, phones: contactPhones, emails: contactEmails, position: value.contactPosition?.slice(0, 200) ?? null } : null,
    },
  };
}

/** The company a row is: by ИНН, else domain, else a name that names one company whose ИНН does not differ. */
async function findExisting(db: Kysely<Database>, row: Pick<CompanyRow, 'taxId' | 'domain' | 'name'>): Promise<CompanyRecord | undefined> {
  if (row.taxId) {
    const hit = await db.selectFrom('companies').select('id').where('tax_id', '=', row.taxId).executeTakeFirst();
    if (hit) return await findCompany(db, hit.id);
  }
  if (row.domain) {
    const hit = await db.selectFrom('companies').select(['id', 'tax_id']).where('domain', '=', row.domain).executeTakeFirst();
    if (hit && (!row.taxId || !hit.tax_id)) return await findCompany(db, hit.id);
  }
  const key = companyNameKey(row.name);
  if (key === null) return undefined;
  const named = await db.selectFrom('companies').select(['id', 'tax_id', 'domain']).where('name_key', '=', key).limit(2).execute();
  const only = named.length === 1 ? named[0] : undefined;
  if (only && (!row.taxId || !only.tax_id) && (!row.domain || !only.domain)) return await findCompany(db, only.id);
  return undefined;
}

async function managersByEmail(db: Kysely<Database>): Promise<Map<string, { id: string; name: string }>> {
  const rows = await db.selectFrom('managers').select(['id', 'name', 'email']).where('active', '=', 1).execute();
  const users = await db.selectFrom('users').select(['manager_id', 'email']).where('manager_id', 'is not', null).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out = new Map<string, { id: string; name: string }>();
  for (const r of rows) if (r.email) out.set(r.email.toLowerCase(), { id: r.id, name: r.name });
  for (const u of users) {
    const m = u.manager_id ? byId.get(u.manager_id) : undefined;
    if (m && u.email && !out.has(u.email.toLowerCase())) out.set(u.email.toLowerCase(), { id: m.id, name: m.name });
  }
  return out;
}

function ownerIssue(row: CompanyRow, owners: Map<string, { id: string; name: string }>, scope: ClientWriteScope | null): FieldIssue | null {
  if (!row.ownerEmail) return null;
  const owner = owners.get(row.ownerEmail);
  if (!owner) return { path: 'owner', code: 'unknown_manager', message: `No active manager has the e-mail ${row.ownerEmail}` };
  if (scope?.kind === 'team' && !scope.managerIds.has(owner.id)) return { path: 'owner', code: 'other_team', message: `${owner.name} is not in your team` };
  return null;
}

export interface CompanyImportCounts {
  rows: number;
  /** Companies added. */
  created: number;
  /** Rows naming a company already stored (or an earlier row): its blanks filled, nothing added twice. */
  alreadyImported: number;
  rejected: number;
  /** Companies given an owner by the file. */
  assigned: number;
  contactsCreated: number;
  parentsLinked: number;
}

export interface CompanyImportProgress extends CompanyImportCounts {
  chunksDone: number;
  lastRow: number;
  bytesRead: number;
  elapsedMs: number;
}

const CHUNK = 500;

/**
 * Runs a company import: rows after `resume.lastRow` are read, checked and written a chunk (one
 * transaction) at a time; the holdings named by ИНН or name are linked at the end, when every
 * company of the file is stored. Every company the file names is remembered with the job
 * (import_clients), so a split can take them.
 */
export async function importCompanyStream(
  ctx: AppContext,
  principal: Principal,
  input: {
    jobId: string;
    path: string;
    format: ImportFormat;
    fileName: string;
    encoding?: TextEncodingName;
    mapping: ColumnMapping;
    resume?: { chunksDone: number; lastRow: number; counts: CompanyImportCounts };
    onRejected: (rows: Array<{ row: number; issues: FieldIssue[] }>) => Promise<void>;
    onProgress: (p: CompanyImportProgress) => Promise<void>;
    cancelled: () => boolean;
  },
): Promise<CompanyImportProgress & { cancelled: boolean }> {
  const db = ctx.store.db;
  const started = Date.now();
  const scope = await clientWriteScope(db, principal);
  const owners = await managersByEmail(db);
  const reader = await openLeadFile(input.path, input.format, input.encoding ? { encoding: input.encoding } : {});
  const country = ctx.config.defaultCountry as CountryCode;
  const actor = actorName(principal);
  const counts: CompanyImportCounts = input.resume ? { ...input.resume.counts } : { rows: 0, created: 0, alreadyImported: 0, rejected: 0, assigned: 0, contactsCreated: 0, parentsLinked: 0 };
  let chunksDone = input.resume?.chunksDone ?? 0;
  let lastRow = input.resume?.lastRow ?? 0;
  const resumeAfter = lastRow;
  const progress = (): CompanyImportProgress => ({ ...counts, chunksDone, lastRow, bytesRead: reader.bytesRead(), elapsedMs: Date.now() - started });
  let chunk: Array<{ row: number; cells: Array<[string, Cell | undefined]> }> = [];
  let cancelled = false;

  const write = async () => {
    const rejected: Array<{ row: number; issues: FieldIssue[] }> = [];
    await db.transaction().execute(async (trx) => {
      const at = ctx.now().toISOString();
      for (const { row, cells } of chunk) {
        counts.rows++;
        const read = readRow(cells, input.mapping, country);
        const issue = read.ok ? ownerIssue(read.row, owners, scope) : null;
        if (!read.ok || issue) {
          rejected.push({ row, issues: read.ok ? [issue as FieldIssue] : read.issues });
          continue;
        }
        const r = read.row;
        const ownerId = r.ownerEmail ? ((owners.get(r.ownerEmail) as { id: string }).id ?? null) : null;
        let company = await findExisting(trx, r);
        // A head adds nothing to another team's company (its blanks, a contact): it is only counted and remembered with the import.
        let mayChange = true;
        if (!company) {
          company = {
            id: ctx.newId(), name: r.name, nameKey: companyNameKey(r.name), taxId: r.taxId, domain: r.domain, parentId: null, size: r.size, industry: r.industry,
            region: r.region, ownerId, phones: r.phones, note: r.note, createdAt: at, updatedAt: at,
          };
          await insertCompany(trx, company);
          counts.created++;
          if (ownerId) {
            counts.assigned++;
            await insertOwnerHistory(trx, [{ id: ctx.newId(), clientKind: 'company', clientId: company.id, ownerId, previousOwnerId: null, actor, reason: `import ${input.fileName}`, at }]);
          }
        } else {
          counts.alreadyImported++;
          // Blanks are filled; what is there stays (a re-run changes nothing).
          const filled: CompanyRecord = {
            ...company,
            taxId: company.taxId ?? r.taxId,
            domain: company.domain ?? (r.domain && !(await trx.selectFrom('companies').select('id').where('domain', '=', r.domain).executeTakeFirst()) ? r.domain : null),
            phones: [...new Set([...company.phones, ...r.phones])],
            size: company.size ?? r.size,
            industry: company.industry ?? r.industry,
            region: company.region ?? r.region,
            note: company.note ?? r.note,
          };
          const ownerFilled = company.ownerId === null && ownerId !== null;
          mayChange = scope.kind === 'all' || company.ownerId === null || scope.managerIds.has(company.ownerId);
          if (mayChange && (JSON.stringify(filled) !== JSON.stringify(company) || ownerFilled)) {
            company = { ...filled, ownerId: company.ownerId ?? ownerId, updatedAt: at };
            await updateCompany(trx, company);
            if (ownerFilled) {
              counts.assigned++;
              await insertOwnerHistory(trx, [{ id: ctx.newId(), clientKind: 'company', clientId: company.id, ownerId, previousOwnerId: null, actor, reason: `import ${input.fileName}`, at }]);
            }
          }
        }
        if (r.revenue !== null && mayChange) await trx.updateTable('companies').set({ revenue: r.revenue }).where('id', '=', company.id).where('revenue', 'is', null).execute();
        await trx.insertInto('import_clients').values({ job_id: input.jobId, company_id: company.id }).onConflict((oc) => oc.columns(['job_id', 'company_id']).doNothing()).execute();
        if (r.parent) pendingParents.push({ row, companyId: company.id, parent: r.parent });
        if (r.contact && mayChange) await upsertContact(trx, ctx, company, r.contact, at, counts);
      }
    });
    if (rejected.length > 0) {
      counts.rejected += rejected.length;
      await input.onRejected(rejected);
    }
    chunksDone++;
    lastRow = (chunk[chunk.length - 1] as { row: number }).row;
    chunk = [];
    await input.onProgress(progress());
  };

  // Holdings named in the file: linked once every company is stored (a holding may come after its subsidiary).
  const pendingParents: Array<{ row: number; companyId: string; parent: string }> = [];
  for await (const { row, cells } of reader.rows) {
    if (row <= resumeAfter) {
      const read = readRow(cells, input.mapping, country);
      if (read.ok && read.row.parent) {
        const existing = await findExisting(db, read.row);
        if (existing) pendingParents.push({ row, companyId: existing.id, parent: read.row.parent });
      }
      continue;
    }
    chunk.push({ row, cells });
    if (chunk.length >= CHUNK) {
      await write();
      if (input.cancelled()) {
        cancelled = true;
        break;
      }
    }
  }
  if (!cancelled && chunk.length > 0) await write();
  if (!cancelled) {
    const rejected = await linkParents(ctx, input.jobId, pendingParents, counts);
    if (rejected.length > 0) {
      counts.rejected += rejected.length;
      await input.onRejected(rejected);
    }
    await db.transaction().execute(async (trx) => {
      await recordAudit(ctx, trx, principal, [{ action: 'companies.imported', entity: 'import', entityId: input.jobId, after: { fileName: input.fileName, ...counts } }]);
    });
  }
  const end = progress();
  await input.onProgress(end);
  return { ...end, cancelled };
}

async function upsertContact(db: Kysely<Database>, ctx: AppContext, company: CompanyRecord, contact: NonNullable<CompanyRow['contact']>, at: string, counts: CompanyImportCounts): Promise<void> {
  const known = await contactsWithKeys(db, { phones: contact.phones, emails: contact.emails }, null);
  if (known.length > 0) {
    const row = await db.selectFrom('contacts').select(['id', 'company_id']).where('id', '=', (known[0] as { id: string }).id).executeTakeFirst();
    if (row && row.company_id === null) await db.updateTable('contacts').set({ company_id: company.id, updated_at: at }).where('id', '=', row.id).execute();
    return;
  }
  if (contact.phones.length === 0 && contact.emails.length === 0) {
    // A name alone: the same name at the same company is the same person.
    const same = await db.selectFrom('contacts').select('id').where('company_id', '=', company.id).where('name', '=', contact.name).executeTakeFirst();
    if (same) return;
  }
  // No owner of its own: a lead from the person follows the company's owner (the ownership policy's fallback).
  await insertContact(db, { id: ctx.newId(), name: contact.name, companyId: company.id, ownerId: null, phones: contact.phones, emails: contact.emails, position: contact.position, note: null, createdAt: at, updatedAt: at });
  counts.contactsCreated++;
}

async function linkParents(ctx: AppContext, jobId: string, pending: Array<{ row: number; companyId: string; parent: string }>, counts: CompanyImportCounts): Promise<Array<{ row: number; issues: FieldIssue[] }>> {
  const rejected: Array<{ row: number; issues: FieldIssue[] }> = [];
  const db = ctx.store.db;
  for (let i = 0; i < pending.length; i += CHUNK) {
    await db.transaction().execute(async (trx) => {
      for (const p of pending.slice(i, i + CHUNK)) {
        const parentId = await parentOf(trx, jobId, p.parent);
        if (parentId === null) {
          rejected.push({ row: p.row, issues: [{ path: 'parent', code: 'unknown_company', message: `No company «${p.parent}» (by ИНН or name); the company was imported without its holding` }] });
          continue;
        }
        if (parentId === p.companyId || (await wouldLoop(trx, p.companyId, parentId))) {
          rejected.push({ row: p.row, issues: [{ path: 'parent', code: 'loop', message: `«${p.parent}» is this company or one of its subsidiaries` }] });
          continue;
        }
        const updated = await trx.updateTable('companies').set({ parent_id: parentId, updated_at: ctx.now().toISOString() }).where('id', '=', p.companyId).where('parent_id', 'is', null).executeTakeFirst();
        if (Number(updated.numUpdatedRows) > 0) counts.parentsLinked++;
      }
    });
  }
  return rejected;
}

/** The holding a row names: by ИНН, else by name, preferring a company of the same file when a name is shared. */
async function parentOf(db: Kysely<Database>, jobId: string, ref: string): Promise<string | null> {
  const tax = normalizeTaxId(ref);
  if (tax.ok) {
    const hit = await db.selectFrom('companies').select('id').where('tax_id', '=', tax.taxId).executeTakeFirst();
    if (hit) return hit.id;
  }
  const key = companyNameKey(ref);
  if (key === null) return null;
  const named = await db.selectFrom('companies').select('id').where('name_key', '=', key).limit(20).execute();
  if (named.length === 1) return (named[0] as { id: string }).id;
  if (named.length === 0) return null;
  const inFile = await db.selectFrom('import_clients').select('company_id').where('job_id', '=', jobId).where('company_id', 'in', named.map((n) => n.id)).execute();
  return inFile.length === 1 ? (inFile[0] as { company_id: string }).company_id : null;
}

/**
 * What a company import would do, writing nothing: each row checked, and matched against the
 * stored companies (a duplicate names the company it would fill) and the earlier rows of the file.
 */
export async function dryRunCompanyImport(ctx: AppContext, principal: Principal, input: { path: string; format: ImportFormat; encoding?: TextEncodingName; mapping: ColumnMapping; limit: number }): Promise<DryRunReport> {
  const db = ctx.store.db;
  const scope = await clientWriteScope(db, principal);
  const owners = await managersByEmail(db);
  const reader = await openLeadFile(input.path, input.format, input.encoding ? { encoding: input.encoding } : {});
  const country = ctx.config.defaultCountry as CountryCode;
  const shown: DryRunRow[] = [];
  const totals: DryRunReport['totals'] = { rows: 0, valid: 0, errors: 0, duplicates: 0, assigned: 0, pool: 0, perManager: [], routedRows: 0, sampled: false };
  const perManager = new Map<string, { name: string; count: number }>();
  const seen = new Map<string, number>();
  for await (const { row, cells } of reader.rows) {
    totals.rows++;
    const read = readRow(cells, input.mapping, country);
    const issue = read.ok ? ownerIssue(read.row, owners, scope) : null;
    const show = shown.length < input.limit;
    if (!read.ok || issue) {
      totals.errors++;
      if (show) shown.push({ row, status: 'error', label: read.ok ? read.row.name : read.label, issues: read.ok ? [issue as FieldIssue] : read.issues, duplicateOf: null, outcome: null, managerId: null, managerName: null, via: null });
      continue;
    }
    totals.valid++;
    totals.routedRows++;
    const r = read.row;
    const keys = [r.taxId && `t:${r.taxId}`, r.domain && `d:${r.domain}`, !r.taxId && !r.domain && `n:${companyNameKey(r.name) ?? r.name}`].filter((k): k is string => Boolean(k));
    const earlier = keys.map((k) => seen.get(k)).find((v) => v !== undefined);
    for (const k of keys) if (!seen.has(k)) seen.set(k, row);
    const existing = earlier === undefined ? await findExisting(db, r) : undefined;
    const owner = r.ownerEmail ? (owners.get(r.ownerEmail) ?? null) : null;
    if (existing || earlier !== undefined) totals.duplicates++;
    if (owner) {
      totals.assigned++;
      perManager.set(owner.id, { name: owner.name, count: (perManager.get(owner.id)?.count ?? 0) + 1 });
    } else totals.pool++;
    if (show) {
      shown.push({
        row,
        status: existing || earlier !== undefined ? 'duplicate' : 'valid',
        label: r.name,
        issues: [],
        duplicateOf: existing ? { leadId: null, companyId: existing.id, row: null, label: existing.name } : earlier !== undefined ? { leadId: null, row: earlier, label: `#${earlier}` } : null,
        outcome: owner ? 'assigned' : null,
        managerId: owner?.id ?? null,
        managerName: owner?.name ?? null,
        via: owner ? 'file' : null,
      });
    }
  }
  totals.perManager = [...perManager].map(([managerId, m]) => ({ managerId, name: m.name, count: m.count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  return { rows: shown, totals, ruleSetVersion: null };
}

/**
 * The write floor for the intake benchmark: the same Fastify as the real server and the same
 * schema, indexes and durability, but no validation, normalisation, matching, routing or
 * idempotency: each request only writes the rows an accepted lead costs and answers after its
 * commit, on one event loop (the server's design on SQLite). With that design leadrouter cannot
 * accept leads faster than this on this machine, so the figure says how much of the gap to the
 * ceiling is writes and how much is the intake's own work.
 *
 * Run as a child process with PORT and FLOOR_MODE, and either
 * - SQLite: FLOOR_SOURCE_DB (the demo database, read only), FLOOR_DB (where its copy is made)
 *   and SQLITE_SYNCHRONOUS (FULL); or
 * - PostgreSQL: FLOOR_DATABASE_URL (a copy of the demo database, written to).
 *
 * FLOOR_MODE:
 * - `intake` (default): per lead the rows intake writes (lead, its keys, the assignment with a
 *   real decision trace, two events, one outbox message), copied from a demo lead with new ids
 *   (time-ordered, as the server's) and the request's name, phone and e-mail; the leads that
 *   arrive while a batch is written share the next transaction (group commit, one batch at a
 *   time, as under the server's routing lock). SQLite: a cached prepared insert per row (the
 *   quickest way found; the server builds one multi-row insert per table). PostgreSQL: one
 *   statement per batch from JSON, as the server writes it. The answer carries the lead and its
 *   trace. Left out as intake logic: the per-batch upserts of fairness state and manager loads,
 *   tax-id keys, normalised phone and e-mail values;
 * - `one-insert`: one INSERT of the lead row per request, in a transaction of its own (the
 *   reference point the intake targets were set against).
 * FLOOR_TABLES (default all five) leaves tables out, to see what each costs.
 */
import BetterSqlite3 from 'better-sqlite3';
import Fastify from 'fastify';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';

type Row = Record<string, unknown>;

interface Template {
  lead: Row;
  assignment: Row;
  events: Row[];
  outbox: Row;
}

interface LeadRows {
  lead: Row;
  keys: Row[];
  assignment: Row;
  events: Row[];
  outbox: Row;
}

interface FloorDatabase {
  template: Template;
  writeBatch(batch: LeadRows[], at: string): Promise<void>;
  writeLead(lead: Row): Promise<void>;
  close(): Promise<void>;
}

const TABLES = ['leads', 'lead_keys', 'assignments', 'events', 'outbox'] as const;
type Table = (typeof TABLES)[number];

const port = Number(process.env.PORT ?? 0);
const mode = process.env.FLOOR_MODE ?? 'intake';
if (mode !== 'intake' && mode !== 'one-insert') throw new Error(`FLOOR_MODE must be intake or one-insert, not ${mode}`);
const tables = new Set((process.env.FLOOR_TABLES ?? TABLES.join(',')).split(','));

// A lead as intake leaves it: new, assigned, with its decision, its two events and its message;
// of those, the one whose decision trace is nearest the mean size (traces run from ≈ 0.3 to 3 KB).
const TEMPLATE_QUERIES = {
  lead: `select leads.* from leads join assignments a on a.lead_id = leads.id
         where leads.status = 'new' and leads.owner_id is not null
           and (select count(*) from events e where e.lead_id = leads.id) >= 2
           and (select count(*) from assignments b where b.lead_id = leads.id) = 1
         order by abs(length(cast(a.trace as text)) - (select avg(length(cast(trace as text))) from assignments)), leads.id
         limit 1`,
  assignment: 'select * from assignments where lead_id = $1',
  events: 'select * from events where lead_id = $1 order by created_at limit 2',
  outbox: `select * from outbox where topic = 'lead.assigned' order by created_at desc limit 1`,
};

function templateFrom(lead: Row | undefined, assignment: Row | undefined, events: Row[], outbox: Row | undefined): Template {
  if (!lead || !assignment || events.length < 2 || !outbox) throw new Error('the database has no new assigned lead with its decision, two events and an outbox message to copy (load the demo data)');
  return { lead, assignment, events, outbox };
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

function openSqliteFloor(): FloorDatabase {
  const demo = new BetterSqlite3(required('FLOOR_SOURCE_DB'), { readonly: true });
  demo.prepare('vacuum into ?').run(required('FLOOR_DB'));
  demo.close();

  const db = new BetterSqlite3(required('FLOOR_DB'));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${process.env.SQLITE_SYNCHRONOUS === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const query = (text: string): BetterSqlite3.Statement => db.prepare(text.replace('$1', '?'));
  const lead = query(TEMPLATE_QUERIES.lead).get() as Row | undefined;
  const template = templateFrom(lead, query(TEMPLATE_QUERIES.assignment).get(lead?.id) as Row | undefined, query(TEMPLATE_QUERIES.events).all(lead?.id) as Row[], query(TEMPLATE_QUERIES.outbox).get() as Row | undefined);

  const insertStatement = (table: string, row: Row): BetterSqlite3.Statement => {
    const columns = Object.keys(row);
    return db.prepare(`insert into "${table}" (${columns.map((c) => `"${c}"`).join(',')}) values (${columns.map((c) => `@${c}`).join(',')})`);
  };
  const insertLead = insertStatement('leads', template.lead);
  const insertKey = insertStatement('lead_keys', { kind: '', value: '', lead_id: '' });
  const insertAssignment = insertStatement('assignments', template.assignment);
  const insertEvent = insertStatement('events', template.events[0] ?? {});
  const insertOutbox = insertStatement('outbox', template.outbox);
  const touchLock = db.prepare('update routing_lock set last_decided_at = ? where id = 1');
  const write = db.transaction((batch: LeadRows[], at: string) => {
    for (const r of batch) {
      if (tables.has('leads')) insertLead.run(r.lead);
      if (tables.has('lead_keys')) for (const k of r.keys) insertKey.run(k);
      if (tables.has('assignments')) insertAssignment.run(r.assignment);
      if (tables.has('events')) for (const e of r.events) insertEvent.run(e);
      if (tables.has('outbox')) insertOutbox.run(r.outbox);
    }
    touchLock.run(at);
  });
  return {
    template,
    writeBatch: async (batch, at) => void write.immediate(batch, at),
    writeLead: async (row) => void insertLead.run(row),
    close: async () => void db.close(),
  };
}

async function openPostgresFloor(): Promise<FloorDatabase> {
  // Timestamps come back as text, JSON as values, so rows go back into JSON as they came out.
  const types = { getTypeParser: (oid: number, format?: string) => ([1114, 1184].includes(oid) ? (v: string) => v : pg.types.getTypeParser(oid, format as 'text')) };
  const url = required('FLOOR_DATABASE_URL');
  const client = new pg.Client({ connectionString: url, types: types as pg.CustomTypesConfig });
  await client.connect();
  // One INSERT per request runs on a pool, as a server's requests would.
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const one = async (text: string, values: unknown[] = []): Promise<Row[]> => (await client.query(text, values)).rows as Row[];
  const [lead] = await one(TEMPLATE_QUERIES.lead);
  const [assignment] = await one(TEMPLATE_QUERIES.assignment, [lead?.id]);
  const template = templateFrom(lead, assignment, await one(TEMPLATE_QUERIES.events, [lead?.id]), (await one(TEMPLATE_QUERIES.outbox))[0]);
  // As the server writes a batch: every table from one JSON parameter, in one statement.
  const fromJson = (table: Table, param: number): string => `${table}_written as (insert into ${table} select * from jsonb_populate_recordset(null::${table}, $${param}::jsonb))`;
  const present = TABLES.filter((t) => tables.has(t));
  const batchSql = `with ${[...present.map((t, i) => fromJson(t, i + 1)), `lock_written as (update routing_lock set last_decided_at = $${present.length + 1} where id = 1)`].join(', ')} select 1`;
  const rowsOf: Record<Table, (b: LeadRows[]) => Row[]> = {
    leads: (b) => b.map((r) => r.lead),
    lead_keys: (b) => b.flatMap((r) => r.keys),
    assignments: (b) => b.map((r) => r.assignment),
    events: (b) => b.flatMap((r) => r.events),
    outbox: (b) => b.map((r) => r.outbox),
  };
  return {
    template,
    writeBatch: async (batch, at) => void (await client.query(batchSql, [...present.map((t) => JSON.stringify(rowsOf[t](batch))), at])),
    writeLead: async (row) => void (await pool.query(`insert into leads select * from jsonb_populate_record(null::leads, $1::jsonb)`, [JSON.stringify(row)])),
    close: async () => {
      await client.end();
      await pool.end();
    },
  };
}

const floor = process.env.FLOOR_DATABASE_URL ? await openPostgresFloor() : openSqliteFloor();
const { template } = floor;

interface Body {
  name?: unknown;
  phone?: unknown;
  email?: unknown;
}

const REQUEST_HASH = 'f'.repeat(64);

/**
 * The rows of one lead. Under an Idempotency-Key the lead carries the key (made unique, as the
 * load may repeat a body) and a request hash, so the idempotency index is written as by the server.
 */
function rowsFor(body: Body, idempotencyKey: string | null, at: string): LeadRows {
  const id = uuidv7();
  const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const idempotency = idempotencyKey
    ? { idempotency_key: `${idempotencyKey}:${id}`, idempotency_index: 0, request_hash: REQUEST_HASH }
    : { idempotency_key: null, idempotency_index: null, request_hash: null };
  const lead: Row = { ...template.lead, ...idempotency, id, name: text(body.name), phone: text(body.phone), email: text(body.email), duplicate_of: null, created_at: at, updated_at: at, assigned_at: at };
  const keys: Row[] = [];
  if (lead.phone) keys.push({ kind: 'phone', value: lead.phone, lead_id: id });
  if (lead.email) keys.push({ kind: 'email', value: lead.email, lead_id: id });
  return {
    lead,
    keys,
    assignment: { ...template.assignment, id: uuidv7(), lead_id: id, created_at: at },
    events: template.events.map((e) => ({ ...e, id: uuidv7(), lead_id: id, created_at: at })),
    outbox: { ...template.outbox, id: uuidv7(), created_at: at, available_at: at, delivered_at: null },
  };
}

interface Waiting {
  rows: LeadRows;
  resolve: (answer: string) => void;
  reject: (error: unknown) => void;
}

// One batch in flight at a time, as under the routing lock; what arrives meanwhile waits for the next.
let queue: Waiting[] = [];
let writing = false;

function flushSoon(): void {
  if (!writing && queue.length > 0) setImmediate(() => void flush());
}

async function flush(): Promise<void> {
  if (writing || queue.length === 0) return;
  writing = true;
  const batch = queue;
  queue = [];
  try {
    await floor.writeBatch(
      batch.map((w) => w.rows),
      new Date().toISOString(),
    );
    for (const w of batch) w.resolve(`{"lead":${JSON.stringify(w.rows.lead)},"trace":${typeof w.rows.assignment.trace === 'string' ? w.rows.assignment.trace : JSON.stringify(w.rows.assignment.trace)}}`);
  } catch (error) {
    for (const w of batch) w.reject(error);
  } finally {
    writing = false;
    flushSoon();
  }
}

const app = Fastify({ logger: false });

app.post('/api/v1/leads', async (request, reply) => {
  const key = request.headers['idempotency-key'];
  const rows = rowsFor((request.body ?? {}) as Body, typeof key === 'string' ? key : null, new Date().toISOString());
  reply.code(201).type('application/json; charset=utf-8');
  if (mode === 'one-insert') {
    await floor.writeLead(rows.lead);
    return `{"lead":${JSON.stringify(rows.lead)}}`;
  }
  return await new Promise<string>((resolve, reject) => {
    queue.push({ rows, resolve, reject });
    if (queue.length === 1) flushSoon();
  });
});
app.get('/health', async () => ({ status: 'ok' }));

const address = await app.listen({ port, host: process.env.HOST ?? '127.0.0.1' });
process.send?.({ ready: address });

const stop = (): void => {
  void app
    .close()
    .then(() => floor.close())
    .finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

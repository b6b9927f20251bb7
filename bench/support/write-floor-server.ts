/**
 * The write floor for the SQLite intake benchmark: the same Fastify as the real server and the
 * same SQLite schema, indexes and durability, but no validation, normalisation, matching,
 * routing or idempotency: each request only writes the rows an accepted lead costs and answers
 * after its commit. Whatever leadrouter does, it cannot accept leads faster than this with its
 * data model on this machine, so the figure says how much of the gap to the ceiling is writes.
 *
 * Run as a child process with PORT, FLOOR_SOURCE_DB (the demo database, read only) and
 * FLOOR_DB (where its copy is made), SQLITE_SYNCHRONOUS (FULL) and FLOOR_MODE:
 * - `intake` (default): per lead the rows intake writes (lead, its keys, the assignment with a
 *   real decision trace, two events, one outbox message), copied from a demo lead with new ids (time-ordered, as the server's)
 *   and the request's name, phone and e-mail; leads arriving in one event-loop turn share one
 *   transaction (group commit, as the real server does); the answer carries the lead and trace;
 * - `one-insert`: one INSERT of the lead row per request, in a transaction of its own (the
 *   reference point the intake targets were set against).
 */
import BetterSqlite3 from 'better-sqlite3';
import Fastify from 'fastify';
import { v7 as uuidv7 } from 'uuid';

type Row = Record<string, unknown>;

const port = Number(process.env.PORT ?? 0);
const mode = process.env.FLOOR_MODE === 'one-insert' ? 'one-insert' : 'intake';
// FLOOR_TABLES (default all five) leaves tables out, to see what each costs.
const tables = new Set((process.env.FLOOR_TABLES ?? 'leads,lead_keys,assignments,events,outbox').split(','));
const source = required('FLOOR_SOURCE_DB');
const target = required('FLOOR_DB');

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const demo = new BetterSqlite3(source, { readonly: true });
demo.prepare('vacuum into ?').run(target);
demo.close();

const db = new BetterSqlite3(target);
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${process.env.SQLITE_SYNCHRONOUS === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');

const template = loadTemplate();

function loadTemplate(): { lead: Row; assignment: Row; events: Row[]; outbox: Row } {
  const lead = db.prepare(`select * from leads where owner_id is not null and exists (select 1 from assignments a where a.lead_id = leads.id) order by created_at desc limit 1`).get() as Row | undefined;
  if (!lead) throw new Error('the demo database has no assigned lead to copy');
  const assignment = db.prepare('select * from assignments where lead_id = ? order by created_at desc limit 1').get(lead.id) as Row;
  const events = db.prepare('select * from events where lead_id = ? order by created_at limit 2').all(lead.id) as Row[];
  const outbox = (db.prepare('select * from outbox order by created_at desc limit 1').get() as Row | undefined) ?? { id: '', topic: 'lead.assigned', payload: '{}', created_at: lead.created_at, available_at: lead.created_at, attempts: 0, delivered_at: null, last_error: null };
  return { lead, assignment, events, outbox };
}

function insertStatement(table: string, row: Row): BetterSqlite3.Statement {
  const columns = Object.keys(row);
  return db.prepare(`insert into "${table}" (${columns.map((c) => `"${c}"`).join(',')}) values (${columns.map((c) => `@${c}`).join(',')})`);
}

const insertLead = insertStatement('leads', template.lead);
const insertKey = insertStatement('lead_keys', { kind: '', value: '', lead_id: '' });
const insertAssignment = insertStatement('assignments', template.assignment);
const insertEvent = insertStatement('events', template.events[0] ?? {});
const insertOutbox = insertStatement('outbox', template.outbox);
const touchLock = db.prepare('update routing_lock set last_decided_at = ? where id = 1');

interface Body {
  name?: unknown;
  phone?: unknown;
  email?: unknown;
}

function rowsFor(body: Body, at: string): { lead: Row; keys: Row[]; assignment: Row; events: Row[]; outbox: Row } {
  const id = uuidv7();
  const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const lead: Row = { ...template.lead, id, name: text(body.name), phone: text(body.phone), email: text(body.email), idempotency_key: null, idempotency_index: null, request_hash: null, duplicate_of: null, created_at: at, updated_at: at, assigned_at: at };
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

const writeBatch = db.transaction((batch: Array<ReturnType<typeof rowsFor>>, at: string) => {
  for (const r of batch) {
    if (tables.has('leads')) insertLead.run(r.lead);
    if (tables.has('lead_keys')) for (const k of r.keys) insertKey.run(k);
    if (tables.has('assignments')) insertAssignment.run(r.assignment);
    if (tables.has('events')) for (const e of r.events) insertEvent.run(e);
    if (tables.has('outbox')) insertOutbox.run(r.outbox);
  }
  touchLock.run(at);
});

interface Waiting {
  rows: ReturnType<typeof rowsFor>;
  resolve: (answer: string) => void;
  reject: (error: unknown) => void;
}
let queue: Waiting[] = [];

function flush(): void {
  const batch = queue;
  queue = [];
  try {
    writeBatch.immediate(
      batch.map((w) => w.rows),
      new Date().toISOString(),
    );
  } catch (error) {
    for (const w of batch) w.reject(error);
    return;
  }
  for (const w of batch) w.resolve(`{"lead":${JSON.stringify(w.rows.lead)},"trace":${String(w.rows.assignment.trace)}}`);
}

const app = Fastify({ logger: false });

app.post('/api/v1/leads', async (request, reply) => {
  const at = new Date().toISOString();
  const rows = rowsFor((request.body ?? {}) as Body, at);
  reply.code(201).type('application/json; charset=utf-8');
  if (mode === 'one-insert') {
    insertLead.run(rows.lead);
    return `{"lead":${JSON.stringify(rows.lead)}}`;
  }
  return await new Promise<string>((resolve, reject) => {
    if (queue.length === 0) setImmediate(flush);
    queue.push({ rows, resolve, reject });
  });
});
app.get('/health', async () => ({ status: 'ok' }));

const address = await app.listen({ port, host: process.env.HOST ?? '127.0.0.1' });
process.send?.({ ready: address });

const stop = (): void => {
  void app.close().then(() => {
    db.close();
    process.exit(0);
  });
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

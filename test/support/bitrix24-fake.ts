import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A Bitrix24 portal on 127.0.0.1 speaking the documented REST shapes through an inbound
 * webhook (`/rest/<user>/<code>/<method>.json`, JSON or form bodies): crm.lead.get / list / add
 * / update, crm.timeline.comment.add and user.get; answers `{result, time}` (lists add `total`
 * and `next`, 50 a page), errors `{error, error_description}` with the documented statuses
 * (401 NO_AUTH_FOUND, 503 QUERY_LIMIT_EXCEEDED, 400 for a missing lead). Its leaky bucket counts
 * every request and refuses past `burst`, draining `perSecond`; tests can also refuse the next
 * calls as over the limit, or take the portal down (502, or connections reset).
 */

export interface FakeCall {
  method: string;
  params: Record<string, unknown>;
  status: number;
  /** Date.now() when answered. */
  at: number;
}

export interface FakeLead {
  ID: string;
  [field: string]: unknown;
}

export interface FakeUser {
  ID: string;
  NAME: string;
  LAST_NAME: string;
  EMAIL: string;
  ACTIVE: boolean;
}

export interface Bitrix24Fake {
  /** The inbound webhook URL an admin would paste. */
  webhookUrl: string;
  /** The same portal with a wrong code (answers 401 NO_AUTH_FOUND). */
  wrongWebhookUrl: string;
  calls: FakeCall[];
  leads: Map<string, FakeLead>;
  comments: Array<{ ID: number; ENTITY_ID: number; ENTITY_TYPE: string; COMMENT: string }>;
  users: FakeUser[];
  /** A person adds a lead in the portal (no REST call is counted); returns its id. */
  addLead(fields: Record<string, unknown>): string;
  /** The form body of the ONCRMLEADADD event the outbound handler would post. */
  eventBody(leadId: string, applicationToken: string): string;
  /** Refuse the next `count` calls with 503 QUERY_LIMIT_EXCEEDED. */
  limitNext(count: number): void;
  /** The portal is down: 'http' answers 502, 'reset' drops connections; 'none' brings it back. */
  outage(mode: 'none' | 'http' | 'reset'): void;
  /** The leaky bucket (X, Y of limits.md); defaults 50 and 2. */
  setBucket(burst: number, perSecond: number): void;
  close(): Promise<void>;
}

const CODE = 'fakewebhookcode42';

export async function startBitrix24Fake(): Promise<Bitrix24Fake> {
  const calls: FakeCall[] = [];
  const leads = new Map<string, FakeLead>();
  const comments: Bitrix24Fake['comments'] = [];
  const users: FakeUser[] = [];
  let nextLead = 1000;
  let nextComment = 1;
  let forcedLimit = 0;
  let outageMode: 'none' | 'http' | 'reset' = 'none';
  let bucket = { burst: 50, perSecond: 2, level: 0, at: Date.now() };
  const sockets = new Set<Socket>();

  const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00');
  const time = () => ({ start: Date.now() / 1000, finish: Date.now() / 1000, duration: 0.01, processing: 0.005, date_start: now(), date_finish: now(), operating_reset_at: Math.floor(Date.now() / 1000) + 600, operating: 0 });

  const addLead = (fields: Record<string, unknown>): string => {
    nextLead += 1;
    const id = String(nextLead);
    leads.set(id, { STATUS_ID: 'NEW', SOURCE_ID: null, ASSIGNED_BY_ID: '1', ORIGINATOR_ID: null, ORIGIN_ID: null, ...fields, ID: id, DATE_CREATE: now(), DATE_MODIFY: now(), HAS_PHONE: Array.isArray(fields.PHONE) && fields.PHONE.length > 0 ? 'Y' : 'N' });
    return id;
  };

  const send = (res: ServerResponse, status: number, body: unknown): number => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    return status;
  };
  const error = (res: ServerResponse, status: number, code: string, description: string): number => send(res, status, { error: code, error_description: description });

  /** What a list call sends back for one record: `select` names fields; `*` is every non-multiple one. */
  const selected = (lead: FakeLead, select: unknown): FakeLead => {
    const names = Array.isArray(select) ? select.map(String) : ['*'];
    if (names.includes('*') && ['PHONE', 'EMAIL', 'WEB'].every((m) => names.includes(m))) return { ...lead };
    const out: FakeLead = { ID: lead.ID };
    for (const [k, v] of Object.entries(lead)) {
      const multiple = k === 'PHONE' || k === 'EMAIL' || k === 'WEB' || k === 'IM';
      if ((names.includes('*') && !multiple) || names.includes(k)) out[k] = v;
    }
    return out;
  };

  const matches = (lead: FakeLead, filter: Record<string, unknown>): boolean =>
    Object.entries(filter).every(([key, value]) => {
      if (key === '>ID') return Number(lead.ID) > Number(value);
      if (key === '>=ID') return Number(lead.ID) >= Number(value);
      const field = key.replace(/^=/, '');
      return String(lead[field] ?? '') === String(value ?? '');
    });

  const handle = (method: string, params: Record<string, unknown>, res: ServerResponse): number => {
    switch (method) {
      case 'user.get': {
        const start = Number(params.start ?? 0);
        const filter = (params.FILTER ?? params.filter ?? {}) as Record<string, unknown>;
        const all = users.filter((u) => filter.ACTIVE === undefined || String(u.ACTIVE) === String(filter.ACTIVE));
        const page = all.slice(start, start + 50);
        return send(res, 200, { result: page, total: all.length, ...(start + 50 < all.length ? { next: start + 50 } : {}), time: time() });
      }
      case 'crm.lead.get': {
        const lead = leads.get(String(params.id ?? params.ID ?? ''));
        if (!lead) return error(res, 400, '', 'Not found');
        return send(res, 200, { result: lead, time: time() });
      }
      case 'crm.lead.list': {
        const filter = (params.filter ?? {}) as Record<string, unknown>;
        const order = (params.order ?? {}) as Record<string, string>;
        const start = Number(params.start ?? 0);
        const desc = String(order.ID ?? 'ASC').toUpperCase() === 'DESC';
        const all = [...leads.values()].filter((l) => matches(l, filter)).sort((a, b) => (desc ? -1 : 1) * (Number(a.ID) - Number(b.ID)));
        const page = all.slice(start, start + 50).map((l) => selected(l, params.select));
        return send(res, 200, { result: page, total: all.length, ...(start + 50 < all.length ? { next: start + 50 } : {}), time: time() });
      }
      case 'crm.lead.add': {
        const fields = (params.fields ?? {}) as Record<string, unknown>;
        return send(res, 200, { result: Number(addLead(fields)), time: time() });
      }
      case 'crm.lead.update': {
        const id = String(params.id ?? '');
        const lead = leads.get(id);
        if (!lead) return error(res, 400, '', 'Not found');
        const fields = (params.fields ?? {}) as Record<string, unknown>;
        leads.set(id, { ...lead, ...fields, ID: id, DATE_MODIFY: now() });
        return send(res, 200, { result: true, time: time() });
      }
      case 'crm.timeline.comment.add': {
        // Since crm 23.100.0 only the lower-case `fields` key is accepted (crm_timeline_comment_add.php).
        const fields = params.fields as Record<string, unknown> | undefined;
        if (!fields) return error(res, 400, 'ERROR_CORE', 'fields is required');
        const entityType = String(fields.ENTITY_TYPE ?? '');
        const entityId = Number(fields.ENTITY_ID);
        if (entityType !== 'lead' || !leads.has(String(entityId))) return error(res, 400, 'ERROR_CORE', 'Entity not found');
        const comment = { ID: nextComment++, ENTITY_ID: entityId, ENTITY_TYPE: entityType, COMMENT: String(fields.COMMENT ?? '') };
        comments.push(comment);
        return send(res, 200, { result: comment.ID, time: time() });
      }
      default:
        return error(res, 404, 'ERROR_METHOD_NOT_FOUND', 'Method not found!');
    }
  };

  const readBody = async (req: IncomingMessage): Promise<string> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const text = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const match = /^\/rest\/(\d+)\/([A-Za-z0-9]+)\/([a-z0-9_.]+?)(?:\.json)?$/.exec(url.pathname);
      const method = match?.[3] ?? url.pathname;
      let params: Record<string, unknown> = {};
      try {
        params = text === '' ? {} : (req.headers['content-type'] ?? '').includes('json') ? (JSON.parse(text) as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(text));
      } catch {
        params = {};
      }
      const record = (status: number) => calls.push({ method, params, status, at: Date.now() });
      if (outageMode === 'reset') {
        record(0);
        req.socket.destroy();
        return;
      }
      if (outageMode === 'http') {
        record(502);
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
        return;
      }
      if (!match) return record(error(res, 404, 'ERROR_METHOD_NOT_FOUND', 'Method not found!'));
      if (match[2] !== CODE) return record(error(res, 401, 'NO_AUTH_FOUND', 'Wrong authorization data'));
      // The leaky bucket: +1 per request, drains perSecond; past burst the request is refused.
      const t = Date.now();
      bucket.level = Math.max(0, bucket.level - ((t - bucket.at) / 1000) * bucket.perSecond);
      bucket.at = t;
      if (forcedLimit > 0 || bucket.level + 1 > bucket.burst) {
        if (forcedLimit > 0) forcedLimit -= 1;
        return record(error(res, 503, 'QUERY_LIMIT_EXCEEDED', 'Too many requests'));
      }
      bucket.level += 1;
      record(handle(method, params, res));
    })().catch((e: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'INTERNAL_SERVER_ERROR', error_description: String(e) }));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  return {
    webhookUrl: `${base}/rest/1/${CODE}/`,
    wrongWebhookUrl: `${base}/rest/1/notthecode/`,
    calls,
    leads,
    comments,
    users,
    addLead,
    eventBody: (leadId, applicationToken) =>
      new URLSearchParams({
        event: 'ONCRMLEADADD',
        event_handler_id: '7',
        'data[FIELDS][ID]': leadId,
        ts: String(Math.floor(Date.now() / 1000)),
        'auth[domain]': `127.0.0.1:${port}`,
        'auth[client_endpoint]': `${base}/rest/`,
        'auth[server_endpoint]': 'https://oauth.bitrix.info/rest/',
        'auth[member_id]': 'a223c6b3710f85df22e9377d6c4f7553',
        'auth[application_token]': applicationToken,
      }).toString(),
    limitNext: (count) => {
      forcedLimit = count;
    },
    outage: (mode) => {
      outageMode = mode;
    },
    setBucket: (burst, perSecond) => {
      bucket = { burst, perSecond, level: 0, at: Date.now() };
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

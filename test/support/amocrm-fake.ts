import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * An amoCRM account on 127.0.0.1 speaking API v4 with a long-lived token (Authorization: Bearer):
 * GET /api/v4/account, /users, /leads/{id}?with=contacts, /contacts/{id}, /companies/{id};
 * PATCH /api/v4/leads/{id}; POST /api/v4/leads/{id}/notes and /api/v4/leads/complex. Success is
 * application/hal+json, errors application/problem+json. More than 7 requests in its one-second
 * bucket are answered 429; tests can also refuse the next calls with 429 or take it down.
 */

export interface AmoCall {
  method: string;
  path: string;
  body: unknown;
  status: number;
  at: number;
}

export interface FakeAmoLead {
  id: number;
  name: string;
  price: number;
  responsible_user_id: number;
  custom_fields_values: unknown[] | null;
  /** Unix seconds. */
  created_at: number;
  _embedded: { contacts: Array<{ id: number; is_main: boolean }>; companies: Array<{ id: number }>; tags: Array<{ id: number; name: string }> };
}

export interface AmocrmFake {
  baseUrl: string;
  token: string;
  calls: AmoCall[];
  leads: Map<number, FakeAmoLead>;
  contacts: Map<number, Record<string, unknown>>;
  companies: Map<number, Record<string, unknown>>;
  notes: Array<{ id: number; entity_id: number; note_type: string; text: string }>;
  users: Array<{ id: number; name: string; email: string; rights: { is_active: boolean } }>;
  /** A person adds a lead with a contact (and company) in amoCRM; returns its id. */
  addLead(lead: { name: string; price?: number; contact?: { name: string; phones?: string[]; emails?: string[] }; company?: string; utm?: Record<string, string>; tags?: string[] }): number;
  /** The form body of the account webhook for these added leads. */
  webhookBody(ids: number[]): string;
  limitNext(count: number): void;
  /** The next POST /api/v4/leads/complex is done but its answer is lost (the connection drops). */
  loseNextComplexAnswer(): void;
  outage(mode: 'none' | 'http' | 'reset'): void;
  close(): Promise<void>;
}

const TOKEN = 'amo-long-lived-token-of-a-private-integration-0001';

export async function startAmocrmFake(): Promise<AmocrmFake> {
  const calls: AmoCall[] = [];
  const leads = new Map<number, FakeAmoLead>();
  const contacts = new Map<number, Record<string, unknown>>();
  const companies = new Map<number, Record<string, unknown>>();
  const notes: AmocrmFake['notes'] = [];
  const users: AmocrmFake['users'] = [];
  let nextId = 5000;
  let forced = 0;
  let loseComplex = false;
  let mode: 'none' | 'http' | 'reset' = 'none';
  const window: number[] = [];
  const sockets = new Set<Socket>();

  const multitext = (code: string, values: string[]) => ({ field_id: code === 'PHONE' ? 11 : 12, field_name: code === 'PHONE' ? 'Телефон' : 'Email', field_code: code, field_type: 'multitext', values: values.map((value) => ({ value, enum_id: 1, enum_code: 'WORK' })) });

  const addLead: AmocrmFake['addLead'] = (l) => {
    const id = ++nextId;
    const contactIds: Array<{ id: number; is_main: boolean }> = [];
    if (l.contact) {
      const cid = ++nextId;
      const fields = [...(l.contact.phones?.length ? [multitext('PHONE', l.contact.phones)] : []), ...(l.contact.emails?.length ? [multitext('EMAIL', l.contact.emails)] : [])];
      contacts.set(cid, { id: cid, name: l.contact.name, first_name: l.contact.name.split(' ')[0], last_name: l.contact.name.split(' ').slice(1).join(' '), custom_fields_values: fields.length ? fields : null });
      contactIds.push({ id: cid, is_main: true });
    }
    const companyIds: Array<{ id: number }> = [];
    if (l.company) {
      const coid = ++nextId;
      companies.set(coid, { id: coid, name: l.company, custom_fields_values: null });
      companyIds.push({ id: coid });
    }
    const utm = Object.entries(l.utm ?? {}).map(([k, v]) => ({ field_id: 100, field_name: k, field_code: `UTM_${k.toUpperCase()}`, field_type: 'tracking_data', values: [{ value: v }] }));
    leads.set(id, { id, name: l.name, price: l.price ?? 0, responsible_user_id: 1, custom_fields_values: utm.length ? utm : null, created_at: Math.floor(Date.now() / 1000), _embedded: { contacts: contactIds, companies: companyIds, tags: (l.tags ?? []).map((name, i) => ({ id: i + 1, name })) } });
    return id;
  };

  const send = (res: ServerResponse, status: number, body: unknown, problem = false): number => {
    const text = body === null ? '' : JSON.stringify(body);
    res.writeHead(status, { 'content-type': problem ? 'application/problem+json' : 'application/hal+json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    return status;
  };
  const problem = (res: ServerResponse, status: number, title: string, detail: string) => send(res, status, { title, type: `https://httpstatus.es/${status}`, status, detail }, true);

  const handle = (method: string, url: URL, body: unknown, res: ServerResponse): number => {
    const path = url.pathname;
    let m: RegExpExecArray | null;
    if (method === 'GET' && path === '/api/v4/account') return send(res, 200, { id: 31000000, name: 'ООО «Ромашка»', subdomain: 'romashka', currency: 'RUB' });
    if (method === 'GET' && path === '/api/v4/users') return send(res, 200, { _page: 1, _links: { self: { href: `${url.origin}/api/v4/users?page=1` } }, _embedded: { users } });
    if (method === 'GET' && path === '/api/v4/leads') {
      // filter[created_at][from] (inclusive), order[created_at]=asc|desc, limit (≤ 250), page; 204 when nothing matches.
      const from = Number(url.searchParams.get('filter[created_at][from]') ?? 0);
      const desc = url.searchParams.get('order[created_at]') === 'desc';
      const limit = Math.min(250, Number(url.searchParams.get('limit') ?? 50));
      const page = Number(url.searchParams.get('page') ?? 1);
      const all = [...leads.values()].filter((l) => l.created_at >= from).sort((a, b) => (a.created_at - b.created_at || a.id - b.id) * (desc ? -1 : 1));
      const slice = all.slice((page - 1) * limit, page * limit);
      return slice.length === 0 ? send(res, 204, null) : send(res, 200, { _page: page, _embedded: { leads: slice } });
    }
    if (method === 'GET' && (m = /^\/api\/v4\/leads\/(\d+)$/.exec(path))) {
      const lead = leads.get(Number(m[1]));
      return lead ? send(res, 200, lead) : send(res, 204, null);
    }
    if (method === 'GET' && (m = /^\/api\/v4\/contacts\/(\d+)$/.exec(path))) {
      const c = contacts.get(Number(m[1]));
      return c ? send(res, 200, c) : send(res, 204, null);
    }
    if (method === 'GET' && (m = /^\/api\/v4\/companies\/(\d+)$/.exec(path))) {
      const c = companies.get(Number(m[1]));
      return c ? send(res, 200, c) : send(res, 204, null);
    }
    if (method === 'PATCH' && (m = /^\/api\/v4\/leads\/(\d+)$/.exec(path))) {
      const lead = leads.get(Number(m[1]));
      if (!lead) return problem(res, 404, 'Not Found', 'Lead not found');
      const patch = body as { responsible_user_id?: unknown };
      if (patch.responsible_user_id !== undefined) {
        if (typeof patch.responsible_user_id !== 'number') return send(res, 400, { title: 'Bad Request', status: 400, 'validation-errors': [{ request_id: '0', errors: [{ code: 'InvalidType', path: 'responsible_user_id', detail: 'This value should be of type int.' }] }] }, true);
        lead.responsible_user_id = patch.responsible_user_id;
      }
      return send(res, 200, { id: lead.id, updated_at: Math.floor(Date.now() / 1000) });
    }
    if (method === 'POST' && (m = /^\/api\/v4\/leads\/(\d+)\/notes$/.exec(path))) {
      const entity = Number(m[1]);
      if (!leads.has(entity)) return problem(res, 404, 'Not Found', 'Lead not found');
      if (!Array.isArray(body)) return problem(res, 400, 'Bad Request', 'An array of notes is expected');
      const made = (body as Array<{ note_type?: string; params?: { text?: string } }>).map((n) => {
        const note = { id: ++nextId, entity_id: entity, note_type: String(n.note_type), text: String(n.params?.text ?? '') };
        notes.push(note);
        return { id: note.id, entity_id: entity, request_id: '0' };
      });
      return send(res, 200, { _embedded: { notes: made } });
    }
    if (method === 'POST' && path === '/api/v4/leads/complex') {
      if (!Array.isArray(body) || body.length > 50) return problem(res, 400, 'Bad Request', 'An array of at most 50 leads is expected');
      const answer = (body as Array<Record<string, unknown>>).map((item, i) => {
        const embedded = (item._embedded ?? {}) as { contacts?: Array<Record<string, unknown>>; companies?: Array<{ name?: string }>; tags?: Array<{ name: string }> };
        const c = embedded.contacts?.[0];
        const id = addLead({ name: String(item.name ?? ''), price: Number(item.price ?? 0), ...(c ? { contact: { name: String(c.first_name ?? '') } } : {}), ...(embedded.companies?.[0]?.name ? { company: embedded.companies[0].name } : {}), tags: (embedded.tags ?? []).map((t) => t.name) });
        const lead = leads.get(id) as FakeAmoLead;
        if (typeof item.responsible_user_id === 'number') lead.responsible_user_id = item.responsible_user_id;
        return { id, contact_id: lead._embedded.contacts[0]?.id ?? null, company_id: lead._embedded.companies[0]?.id ?? null, request_id: [String(i)], merged: false };
      });
      return send(res, 200, answer);
    }
    return problem(res, 404, 'Not Found', `No route ${method} ${path}`);
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
      let body: unknown = null;
      try {
        body = text === '' ? null : JSON.parse(text);
      } catch {
        body = null;
      }
      const record = (status: number) => calls.push({ method: req.method ?? 'GET', path: url.pathname, body, status, at: Date.now() });
      if (mode === 'reset') {
        record(0);
        req.socket.destroy();
        return;
      }
      if (mode === 'http') {
        record(502);
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html><body>502 Bad Gateway</body></html>');
        return;
      }
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return record(problem(res, 401, 'Unauthorized', 'Invalid access token'));
      const now = Date.now();
      while (window.length > 0 && (window[0] as number) <= now - 1000) window.shift();
      if (forced > 0 || window.length >= 7) {
        if (forced > 0) forced -= 1;
        return record(problem(res, 429, 'Too Many Requests', 'Too many requests'));
      }
      window.push(now);
      if (loseComplex && req.method === 'POST' && url.pathname === '/api/v4/leads/complex') {
        loseComplex = false;
        const sink = { writeHead: () => sink, end: () => sink } as unknown as ServerResponse;
        handle('POST', url, body, sink);
        record(0);
        req.socket.destroy();
        return;
      }
      record(handle(req.method ?? 'GET', url, body, res));
    })().catch((e: unknown) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    token: TOKEN,
    calls,
    leads,
    contacts,
    companies,
    notes,
    users,
    addLead,
    webhookBody: (ids) => {
      const form = new URLSearchParams();
      ids.forEach((id, i) => {
        const lead = leads.get(id);
        form.set(`leads[add][${i}][id]`, String(id));
        form.set(`leads[add][${i}][name]`, lead?.name ?? '');
        form.set(`leads[add][${i}][status_id]`, '142000');
        form.set(`leads[add][${i}][responsible_user_id]`, String(lead?.responsible_user_id ?? 1));
      });
      form.set('account[id]', '31000000');
      form.set('account[subdomain]', 'romashka');
      return form.toString();
    },
    loseNextComplexAnswer: () => {
      loseComplex = true;
    },
    limitNext: (count) => {
      forced = count;
    },
    outage: (m) => {
      mode = m;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

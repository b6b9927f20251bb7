import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TelegramCall {
  token: string;
  chatId: string;
  text: string;
}

/** A message the fake bot "sent", as the chat shows it now (edits applied). */
export interface FakeMessage {
  chatId: string;
  messageId: number;
  text: string;
  /** reply_markup.inline_keyboard, [] when none. */
  keyboard: Array<Array<{ text: string; callback_data?: string; url?: string }>>;
  edits: number;
}

export interface MethodCall {
  method: string;
  body: Record<string, unknown>;
  status: number;
  /** Date.now() when it was answered. */
  at: number;
}

export interface TelegramStub {
  /** What TELEGRAM_API_BASE_URL would be. */
  baseUrl: string;
  /** sendMessage calls answered ok, in order. */
  sent: TelegramCall[];
  /** Every sendMessage call, including the refused ones. */
  calls: TelegramCall[];
  /** Every call of any method, with the status it was answered. */
  methods: MethodCall[];
  /** The chats' messages by `${chatId}:${messageId}`. */
  messages: Map<string, FakeMessage>;
  /** answerCallbackQuery calls: the query id and the text shown. */
  answers: Array<{ id: string; text: string; showAlert: boolean }>;
  /** Answer the next `count` sendMessage calls with this failure. */
  failNext(count: number, failure: { status: number; description?: string }): void;
  /** Answer the next `count` sendMessage calls 429 Too Many Requests with parameters.retry_after. */
  limitNext(count: number, retryAfterSeconds: number): void;
  /** A person writes to the bot (e.g. "/start <code>"); returns the update id. */
  userWrites(chatId: number, text: string, from?: { languageCode?: string }): number;
  /** A person presses an inline button of a message; returns the callback query id. */
  userPresses(chatId: number, messageId: number, data: string): string;
  /** getUpdates calls that were answered 409 (a second poller, or a webhook set). */
  conflicts: number;
  /** Whether a getUpdates call is waiting for updates now. */
  readonly waiting: boolean;
  /** The webhook set by setWebhook, if any. */
  webhook: { url: string; secretToken: string | undefined } | null;
  close(): Promise<void>;
}

interface Waiter {
  offset: number;
  res: ServerResponse;
  timer: NodeJS.Timeout;
}

/**
 * A local server speaking the Bot API's HTTP contract (POST /bot<token>/<method>, JSON in and
 * `{ok, result}` / `{ok: false, error_code, description, parameters}` out): sendMessage with
 * reply_markup, editMessageText, answerCallbackQuery, getUpdates long polling with offset and
 * timeout (confirmed updates are forgotten; a second concurrent getUpdates ends the first with
 * 409, as Telegram does), setWebhook / deleteWebhook (getUpdates answers 409 while one is set),
 * and 429 with parameters.retry_after on demand.
 */
export async function startTelegramStub(): Promise<TelegramStub> {
  const sent: TelegramCall[] = [];
  const calls: TelegramCall[] = [];
  const methods: MethodCall[] = [];
  const messages = new Map<string, FakeMessage>();
  const answers: TelegramStub['answers'] = [];
  const updates: Array<Record<string, unknown> & { update_id: number }> = [];
  let nextUpdateId = 700_000_001;
  let nextMessageId = 1;
  let nextQueryId = 1;
  let waiter: Waiter | null = null;
  let failures: { left: number; status: number; description: string; retryAfter: number | null } = { left: 0, status: 500, description: '', retryAfter: null };
  const stub = { conflicts: 0, webhook: null as TelegramStub['webhook'] };

  const json = (res: ServerResponse, status: number, body: unknown): void => {
    if (res.writableEnded) return;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const pending = (offset: number) => updates.filter((u) => u.update_id >= offset);
  const wake = (): void => {
    if (!waiter) return;
    const ready = pending(waiter.offset);
    if (ready.length === 0) return;
    clearTimeout(waiter.timer);
    const w = waiter;
    waiter = null;
    json(w.res, 200, { ok: true, result: ready });
  };
  const push = (update: Record<string, unknown>): number => {
    const id = nextUpdateId++;
    updates.push({ ...update, update_id: id });
    wake();
    return id;
  };

  const handle = (method: string, token: string, body: Record<string, unknown>, res: ServerResponse): void => {
    const answer = (status: number, result: unknown): void => {
      methods.push({ method, body, status, at: Date.now() });
      json(res, status, status === 200 ? { ok: true, result } : result);
    };
    // A refusal may come with HTTP 200 too ({"ok": false}), as some proxies answer.
    const refuse = (status: number, description: string, extra: Record<string, unknown> = {}): void => {
      methods.push({ method, body, status, at: Date.now() });
      json(res, status, { ok: false, error_code: status, description, ...extra });
    };
    switch (method) {
      case 'sendMessage': {
        const call = { token, chatId: String(body.chat_id), text: String(body.text) };
        calls.push(call);
        if (failures.left > 0) {
          failures.left -= 1;
          return failures.retryAfter !== null
            ? refuse(429, `Too Many Requests: retry after ${failures.retryAfter}`, { parameters: { retry_after: failures.retryAfter } })
            : refuse(failures.status, failures.description);
        }
        if (!body.chat_id || !body.text) return refuse(400, 'Bad Request: chat_id and text are required');
        if (String(body.text).length > 4096) return refuse(400, 'Bad Request: message is too long');
        const keyboard = ((body.reply_markup as { inline_keyboard?: FakeMessage['keyboard'] } | undefined)?.inline_keyboard ?? []);
        for (const b of keyboard.flat()) if (b.callback_data !== undefined && Buffer.byteLength(b.callback_data) > 64) return refuse(400, 'Bad Request: BUTTON_DATA_INVALID');
        sent.push(call);
        const messageId = nextMessageId++;
        messages.set(`${call.chatId}:${messageId}`, { chatId: call.chatId, messageId, text: call.text, keyboard, edits: 0 });
        return answer(200, { message_id: messageId, chat: { id: Number(body.chat_id), type: 'private' }, text: body.text });
      }
      case 'editMessageText': {
        const key = `${String(body.chat_id)}:${String(body.message_id)}`;
        const message = messages.get(key);
        if (!message) return refuse(400, 'Bad Request: message to edit not found');
        message.text = String(body.text);
        message.keyboard = (body.reply_markup as { inline_keyboard?: FakeMessage['keyboard'] } | undefined)?.inline_keyboard ?? [];
        message.edits += 1;
        return answer(200, { message_id: message.messageId, chat: { id: Number(message.chatId) }, text: message.text });
      }
      case 'answerCallbackQuery':
        answers.push({ id: String(body.callback_query_id), text: String(body.text ?? ''), showAlert: body.show_alert === true });
        return answer(200, true);
      case 'setWebhook':
        stub.webhook = { url: String(body.url), secretToken: typeof body.secret_token === 'string' ? body.secret_token : undefined };
        return answer(200, true);
      case 'deleteWebhook':
        stub.webhook = null;
        return answer(200, true);
      case 'getMe':
        return answer(200, { id: 1, is_bot: true, first_name: 'leadrouter', username: 'leadrouter_test_bot' });
      case 'getUpdates': {
        if (stub.webhook) {
          stub.conflicts += 1;
          return refuse(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
        }
        const offset = Number(body.offset ?? 0);
        // Asking from an offset confirms every update before it: Telegram forgets them.
        if (offset > 0) for (let i = updates.length - 1; i >= 0; i--) if ((updates[i] as { update_id: number }).update_id < offset) updates.splice(i, 1);
        if (waiter) {
          // A poller that gave up its request (stopped) is not in conflict with anyone.
          if (!waiter.res.destroyed && !waiter.res.socket?.destroyed) stub.conflicts += 1;
          clearTimeout(waiter.timer);
          json(waiter.res, 409, { ok: false, error_code: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' });
          waiter = null;
        }
        methods.push({ method, body, status: 200, at: Date.now() });
        const ready = pending(offset);
        const timeout = Math.min(Number(body.timeout ?? 0), 50);
        if (ready.length > 0 || timeout <= 0) return json(res, 200, { ok: true, result: ready });
        const w: Waiter = { offset, res, timer: setTimeout(() => {
          if (waiter === w) waiter = null;
          json(res, 200, { ok: true, result: [] });
        }, timeout * 1000) };
        waiter = w;
        res.on('close', () => {
          if (waiter === w) {
            clearTimeout(w.timer);
            waiter = null;
          }
        });
        return;
      }
      default:
        return refuse(404, 'Not Found: method not found');
    }
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !match) return json(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      let body: Record<string, unknown>;
      try {
        const raw = Buffer.concat(chunks).toString('utf8');
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        return json(res, 400, { ok: false, error_code: 400, description: 'Bad Request: invalid JSON' });
      }
      handle(match[2] as string, match[1] as string, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    sent,
    calls,
    methods,
    messages,
    answers,
    get waiting() {
      return waiter !== null;
    },
    get conflicts() {
      return stub.conflicts;
    },
    get webhook() {
      return stub.webhook;
    },
    failNext: (count, failure) => {
      failures = { left: count, status: failure.status, description: failure.description ?? 'Internal Server Error', retryAfter: null };
    },
    limitNext: (count, retryAfterSeconds) => {
      failures = { left: count, status: 429, description: 'Too Many Requests', retryAfter: retryAfterSeconds };
    },
    userWrites: (chatId, text, from = {}) =>
      push({ message: { message_id: nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private' }, from: { id: chatId, is_bot: false, first_name: 'Test', ...(from.languageCode ? { language_code: from.languageCode } : {}) }, text } }),
    userPresses: (chatId, messageId, data) => {
      const id = `cq-${nextQueryId++}`;
      const message = messages.get(`${chatId}:${messageId}`);
      push({ callback_query: { id, from: { id: chatId, is_bot: false, first_name: 'Test' }, chat_instance: String(chatId), data, message: { message_id: messageId, chat: { id: chatId, type: 'private' }, text: message?.text ?? '' } } });
      return id;
    },
    close: async () => {
      if (waiter) {
        clearTimeout(waiter.timer);
        waiter = null;
      }
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TelegramCall {
  token: string;
  chatId: string;
  text: string;
}

export interface TelegramStub {
  /** What TELEGRAM_API_BASE_URL would be. */
  baseUrl: string;
  /** sendMessage calls answered ok, in order. */
  sent: TelegramCall[];
  /** Every call, including the refused ones. */
  calls: TelegramCall[];
  /** Answer the next `count` calls with this failure. */
  failNext(count: number, failure: { status: number; description?: string }): void;
  close(): Promise<void>;
}

/** A local server speaking the Bot API's sendMessage contract: POST /bot<token>/sendMessage {chat_id, text}. */
export async function startTelegramStub(): Promise<TelegramStub> {
  const sent: TelegramCall[] = [];
  const calls: TelegramCall[] = [];
  let failures: { left: number; status: number; description: string } = { left: 0, status: 500, description: '' };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = (status: number, body: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const match = /^\/bot([^/]+)\/sendMessage$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !match) return answer(404, { ok: false, error_code: 404, description: 'Not Found' });
      let body: { chat_id?: unknown; text?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
      } catch {
        return answer(400, { ok: false, error_code: 400, description: 'Bad Request: invalid JSON' });
      }
      const call = { token: match[1] as string, chatId: String(body.chat_id), text: String(body.text) };
      calls.push(call);
      if (failures.left > 0) {
        failures.left -= 1;
        return answer(failures.status, { ok: false, error_code: failures.status, description: failures.description });
      }
      if (!body.chat_id || !body.text) return answer(400, { ok: false, error_code: 400, description: 'Bad Request: chat_id and text are required' });
      sent.push(call);
      return answer(200, { ok: true, result: { message_id: sent.length, chat: { id: body.chat_id }, text: body.text } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    sent,
    calls,
    failNext: (count, failure) => {
      failures = { left: count, status: failure.status, description: failure.description ?? 'Internal Server Error' };
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

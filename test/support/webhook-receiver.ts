import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '../../src/app/notifications/channels/webhook-signature.js';

export interface ReceivedWebhook {
  deliveryId: string;
  event: string;
  /** Whether X-Leadrouter-Signature matched the body and timestamp under the secret. */
  signatureValid: boolean;
  body: { id: string; topic: string; payload: Record<string, unknown>; createdAt: string };
  headers: IncomingHttpHeaders;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Answer the next `count` requests with this status. */
  failNext(count: number, status: number): void;
  close(): Promise<void>;
}

/** A local endpoint that checks each request's HMAC signature the way the README tells integrators to. */
export async function startWebhookReceiver(secret: () => string): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let failures = { left: 0, status: 500 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (failures.left > 0) {
        failures.left -= 1;
        res.writeHead(failures.status).end();
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      const header = (name: string): string => String(req.headers[name] ?? '');
      const signatureValid = verifyWebhookSignature(secret(), header('x-leadrouter-timestamp'), raw, header('x-leadrouter-signature'));
      received.push({ deliveryId: header('x-leadrouter-delivery'), event: header('x-leadrouter-event'), signatureValid, body: JSON.parse(raw) as ReceivedWebhook['body'], headers: req.headers });
      res.writeHead(signatureValid ? 204 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/leadrouter`,
    received,
    failNext: (count, status) => {
      failures = { left: count, status };
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

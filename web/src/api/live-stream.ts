import type { Notification } from './types';

/**
 * The server's live notification stream (SSE, `GET /api/v1/notifications/stream`). The browser's
 * EventSource reconnects by itself and sends `Last-Event-ID`, so notifications written while the
 * connection was down arrive on reconnect.
 */
export function openNotificationStream(handlers: { onNotification(n: Notification): void; onOpen?(): void; onError?(): void }): () => void {
  const source = new EventSource('/api/v1/notifications/stream', { withCredentials: true });
  source.addEventListener('notification', (event) => {
    try {
      handlers.onNotification(JSON.parse((event as MessageEvent<string>).data) as Notification);
    } catch {
      // A message that is not a notification is ignored; the inbox still lists it.
    }
  });
  source.addEventListener('open', () => handlers.onOpen?.());
  source.addEventListener('error', () => handlers.onError?.());
  return () => source.close();
}

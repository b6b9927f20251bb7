import type { IncomingMessage } from 'node:http';

/** The most of a refused body read and thrown away so its sender gets the 413 rather than a reset connection. */
export const DISCARD_MAX_BYTES = 64 * 1024 * 1024;
/** How long a refused body is read at most before the answer goes out anyway. */
export const DISCARD_MAX_MS = 10_000;

/**
 * Reads what is left of a request body and throws it away, up to `maxBytes` or `maxMs`. Answering
 * a too-large body while its sender is still uploading makes Node close the connection under the
 * upload, and the client sees a reset (EPIPE, ECONNRESET) instead of the 413; read to its end,
 * the answer arrives and the connection can even be kept. Beyond the bound the answer goes out
 * regardless (a sender of more than that gets what it asked for).
 */
export async function discardBody(raw: IncomingMessage, maxBytes = DISCARD_MAX_BYTES, maxMs = DISCARD_MAX_MS): Promise<void> {
  if (raw.complete || raw.readableEnded || raw.destroyed) return;
  await new Promise<void>((resolve) => {
    let seen = 0;
    const finish = (): void => {
      clearTimeout(timer);
      raw.off('data', onData);
      raw.off('end', finish);
      raw.off('error', finish);
      raw.off('close', finish);
      resolve();
    };
    const onData = (chunk: Buffer): void => {
      seen += chunk.length;
      if (seen > maxBytes) finish();
    };
    const timer = setTimeout(finish, maxMs);
    raw.on('data', onData);
    raw.on('end', finish);
    raw.on('error', finish);
    raw.on('close', finish);
    raw.resume();
  });
}

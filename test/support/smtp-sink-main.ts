/**
 * A real SMTP server in its own process for the notification tests: accepts every message on
 * 127.0.0.1:<port> and prints it to stdout as one JSON line. Started by smtp-server-process.ts.
 */
import { SMTPServer } from 'smtp-server';

const port = Number(process.argv[2]);

function headersOf(raw: string): Record<string, string> {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

const server = new SMTPServer({
  secure: false,
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const message = {
        type: 'message',
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
        to: session.envelope.rcptTo.map((r) => r.address),
        headers: headersOf(raw),
        body: raw.split(/\r?\n\r?\n/).slice(1).join('\n\n'),
      };
      process.stdout.write(`${JSON.stringify(message)}\n`);
      callback();
    });
  },
});
server.on('error', (error) => process.stderr.write(`${String(error)}\n`));
server.listen(port, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ type: 'listening', port })}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));

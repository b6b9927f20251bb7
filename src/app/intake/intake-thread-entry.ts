import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../../store/database.js';
import { createAppContext } from '../app-context.js';
import { RoutingSnapshotLoader } from '../routing/routing-snapshot.js';
import { adoptSettingsGeneration } from '../settings-generation.js';
import { intakeLeads } from './intake-leads.js';
import { IntakeQueue } from './intake-queue.js';
import { toWireError, toWireResult, type AnswersMessage, type FromThread, type IntakeThreadData, type ToThread } from './intake-thread-messages.js';

// The body of the intake thread (see intake-thread.ts): its own connection, routing snapshot,
// caches and group-commit queue. On SQLite with FULL sync, commits are synced after the fact
// (syncAfterCommit), so the next transaction runs while the disk catches up; nobody is answered
// before the sync that covers their commit.
const port = parentPort;
if (!port) throw new Error('intake-thread-entry.ts runs only inside a worker thread');
const { target, config } = workerData as IntakeThreadData;
const store = openStore(target.kind === 'sqlite' ? { ...target, syncAfterCommit: true } : target);
// Every request brings the sender's clock; the thread decides by the latest it was sent.
let latestAt = 0;
const ctx = createAppContext(store, config, { now: () => new Date(latestAt) });
const snapshots = new RoutingSnapshotLoader();
const queue = new IntakeQueue((requests) => intakeLeads(ctx, snapshots, requests), config.intakeMaxBatch, () => store.durable());
const send = (message: FromThread): void => port.postMessage(message);

let answers: AnswersMessage['answers'] = [];
let flushScheduled = false;
function answer(entry: AnswersMessage['answers'][number]): void {
  answers.push(entry);
  if (flushScheduled) return;
  flushScheduled = true;
  // The answers of one batch settle together: one message carries them all.
  setImmediate(() => {
    flushScheduled = false;
    const message: AnswersMessage = { type: 'answers', answers };
    answers = [];
    send(message);
  });
}

// Requests that cannot be read cannot be answered: end the thread, so the sender fails them all.
port.on('messageerror', () => process.exit(1));

port.on('message', (message: ToThread) => {
  if (message.type === 'close') {
    void close();
    return;
  }
  latestAt = Math.max(latestAt, message.at);
  adoptSettingsGeneration(message.settingsGeneration);
  for (const { id, request } of message.requests) {
    queue
      .submit(request)
      .then((result) => answer({ id, result: toWireResult(result) }))
      .catch((error: unknown) => answer({ id, error: toWireError(error) }));
  }
});

async function close(): Promise<void> {
  await queue.idle();
  await new Promise((resolve) => setImmediate(resolve));
  await store.close();
  send({ type: 'closed' });
  port?.close();
}

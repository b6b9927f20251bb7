import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../../store/database.js';
import { createAppContext } from '../app-context.js';
import { RoutingSnapshotLoader } from '../routing/routing-snapshot.js';
import { adoptSettingsGeneration } from '../settings-generation.js';
import { intakeLeads } from './intake-leads.js';
import { toWireError, toWireResult, type FromThread, type IntakeThreadData, type ToThread } from './intake-thread-messages.js';

// The body of the intake thread (see intake-thread.ts): its own connection, routing snapshot
// and caches; one batch at a time, in the order they arrive.
const port = parentPort;
if (!port) throw new Error('intake-thread-entry.ts runs only inside a worker thread');
const { target, config } = workerData as IntakeThreadData;
const store = openStore(target);
let batchAt = new Date();
const ctx = createAppContext(store, config, { now: () => batchAt });
const snapshots = new RoutingSnapshotLoader();
const send = (message: FromThread): void => port.postMessage(message);

let queue: Promise<void> = Promise.resolve();
port.on('message', (message: ToThread) => {
  queue = queue.then(() => handle(message));
});

async function handle(message: ToThread): Promise<void> {
  if (message.type === 'close') {
    await store.close();
    send({ type: 'closed' });
    port?.close();
    return;
  }
  batchAt = new Date(message.at);
  adoptSettingsGeneration(message.settingsGeneration);
  try {
    const results = await intakeLeads(ctx, snapshots, message.requests);
    send({ type: 'results', id: message.id, results: results.map(toWireResult) });
  } catch (error) {
    send({ type: 'failed', id: message.id, error: toWireError(error) });
  }
}

/**
 * The intake use case without HTTP: leads go straight to LeadIntake (normalise, match, route,
 * store through group commit) on a fresh SQLite file with the demo data, 36 requests at a
 * time. Separates the cost of the application and store from that of HTTP and validation.
 *
 *   npm run bench -- intake-app [--batches 200] [--in-flight 36]
 *   SQLITE_SYNCHRONOUS=NORMAL npm run bench -- intake-app
 *
 * Last line: {"leadsPerSec","cpuMsPerLead","synchronous"}.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createAppContext } from '../src/app/app-context.js';
import { seedDemoData } from '../src/app/demo/seed-demo.js';
import { LeadIntake } from '../src/app/intake/lead-intake.js';
import type { LeadInput } from '../src/app/intake/lead-input.js';
import { openStore } from '../src/store/database.js';
import { migrateToLatest } from '../src/store/migrate.js';

const REGIONS = ['Москва', 'Санкт-Петербург', 'Новосибирская область', 'Приморский край', 'Татарстан', 'Свердловская область'];
const SOURCES = ['website', 'yandex-direct', 'call', 'email', 'exhibition'];

export default async function intakeApp(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { batches: { type: 'string', default: '200' }, 'in-flight': { type: 'string', default: '36' } } });
  const batches = Number(values.batches);
  const inFlight = Number(values['in-flight']);
  const synchronous = process.env.SQLITE_SYNCHRONOUS === 'NORMAL' ? 'NORMAL' : 'FULL';
  const dir = mkdtempSync(join(tmpdir(), 'leadrouter-bench-app-'));
  const store = openStore({ kind: 'sqlite', file: join(dir, 'leadrouter.sqlite'), synchronous });
  try {
    const { error } = await migrateToLatest(store);
    if (error) throw error;
    const ctx = createAppContext(store, { defaultCountry: 'RU', intakeMaxBatch: 500 });
    await seedDemoData(ctx, { leads: 2000 });
    const intake = new LeadIntake(ctx);
    let n = 0;
    const lead = (): LeadInput => {
      n++;
      return {
        name: `Lead ${n}`,
        phone: `+7 916 ${String(1_000_000 + ((n * 7919) % 9_000_000)).slice(0, 7)}`,
        email: `lead${n}@example${n % 50}.ru`,
        region: REGIONS[n % REGIONS.length] as string,
        source: SOURCES[n % SOURCES.length] as string,
        dealValue: 50_000 + ((n * 104_729) % 2_000_000),
        productInterest: ['crm'],
      };
    };
    const run = async (count: number): Promise<void> => {
      for (let b = 0; b < count; b++) {
        await Promise.all(Array.from({ length: inFlight }, () => intake.accept({ leads: [lead()], apiKeyId: null, idempotencyKey: null, actor: 'bench' })));
      }
    };
    await run(Math.max(5, Math.floor(batches / 10)));
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await run(batches);
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const leads = batches * inFlight;
    const leadsPerSec = Math.round((leads / wallMs) * 1000);
    const cpuMsPerLead = Math.round(((cpu.user + cpu.system) / 1000 / leads) * 1000) / 1000;
    console.log(`intake use case on SQLite (synchronous=${synchronous}), ${inFlight} requests in flight: ${leads} leads in ${wallMs.toFixed(0)} ms`);
    console.log(`  ${leadsPerSec} leads/s, ${cpuMsPerLead} ms of CPU per lead (user ${(cpu.user / 1000).toFixed(0)} ms, system ${(cpu.system / 1000).toFixed(0)} ms)`);
    console.log(JSON.stringify({ leadsPerSec, cpuMsPerLead, synchronous }));
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * File import benchmark: a generated CSV of --rows rows (1,000,000 by default; Windows-1251
 * with `;` and Russian headers, as Russian Excel saves one, 1% of rows refused) imported with
 * the real command, `leadrouter import`, in a process of its own, into a fresh SQLite file with
 * the demo data (routed by the demo rules, stored durably, one digest per manager at the end).
 * Reports rows per second and the peak resident memory of the importing process (VmHWM; the
 * target: at least the intake write rate of `intake-app`, RSS ≤ 300 MB whatever the file's size).
 * The command runs compiled (bin/leadrouter.js, as installed); with --tsx it runs from the
 * sources through tsx, whose loader adds ≈ 110 MB.
 *
 *   npm run bench -- import [--rows 1000000] [--tsx] [--keep]
 *   SQLITE_SYNCHRONOUS=NORMAL npm run bench -- import --rows 200000
 *
 * Last line: {"rows","leadsCreated","rejected","seconds","rowsPerSec","peakRssMb","fileMb","synchronous","runner"}.
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createAppContext } from '../src/app/app-context.js';
import { seedDemoData } from '../src/app/demo/seed-demo.js';
import { openStore } from '../src/store/database.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { spawnChild } from './support/processes.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REGIONS = ['Москва', 'Санкт-Петербург', 'Новосибирская область', 'Приморский край', 'Татарстан', 'Свердловская область'];
const SOURCES = ['website', 'yandex-direct', 'call', 'email', 'exhibition'];
const FIRST = ['Иван', 'Ольга', 'Сергей', 'Анна', 'Дмитрий', 'Мария', 'Алексей', 'Елена'];
const LAST = ['Петров', 'Смирнова', 'Кузнецов', 'Волкова', 'Соколов', 'Попова', 'Лебедев', 'Новикова'];

/** Windows-1251 bytes of text (Cyrillic, Ё/ё and ASCII: all the generator writes). */
function cp1251(text: string): Buffer {
  const out = Buffer.alloc(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    out[i] = code < 0x80 ? code : code >= 0x410 && code <= 0x44f ? code - 0x410 + 0xc0 : code === 0x401 ? 0xa8 : code === 0x451 ? 0xb8 : 0x3f;
  }
  return out;
}

async function writeCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  const write = async (text: string) => {
    if (!out.write(cp1251(text))) await new Promise<void>((resolve) => out.once('drain', resolve));
  };
  await write('ФИО;Телефон;E-mail;Компания;Регион;Источник;Бюджет\r\n');
  let chunk = '';
  for (let n = 1; n <= rows; n++) {
    const name = `${FIRST[n % FIRST.length]} ${LAST[(n >> 3) % LAST.length]}`;
    const phone = `+7 9${String(10 + (n % 90)).padStart(2, '0')} ${String(1_000_000 + ((n * 7919) % 9_000_000)).slice(0, 7)}`;
    // One row in a hundred has a budget nobody can read: refused, and listed in the error report.
    const budget = n % 100 === 42 ? 'много' : String(50_000 + ((n * 104_729) % 2_000_000));
    chunk += `${name};${phone};lead${n}@example${n % 50}.ru;ООО «Компания ${n % 5000}»;${REGIONS[n % REGIONS.length]};${SOURCES[n % SOURCES.length]};${budget}\r\n`;
    if (chunk.length > 256 * 1024) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

/** The peak resident set of a live process (VmHWM), in bytes; 0 once it is gone. */
function peakRssOf(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export default async function importBench(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { rows: { type: 'string', default: '1000000' }, keep: { type: 'boolean', default: false }, tsx: { type: 'boolean', default: false } } });
  const rows = Number(values.rows);
  const synchronous = process.env.SQLITE_SYNCHRONOUS === 'NORMAL' ? 'NORMAL' : 'FULL';
  const dir = mkdtempSync(join(tmpdir(), 'leadrouter-bench-import-'));
  const file = join(dir, 'base.csv');
  try {
    console.error(`writing ${rows.toLocaleString('en-US')} rows to ${file}…`);
    await writeCsv(file, rows);
    const fileMb = statSync(file).size / 1024 / 1024;
    const store = openStore({ kind: 'sqlite', file: join(dir, 'leadrouter.sqlite'), synchronous });
    try {
      const { error } = await migrateToLatest(store);
      if (error) throw error;
      await seedDemoData(createAppContext(store, { defaultCountry: 'RU', intakeMaxBatch: 500 }), { leads: 2000 });
    } finally {
      await store.close();
    }
    const runner = values.tsx ? ['--max-semi-space-size=32', '--import', 'tsx', 'src/cli/main.ts'] : ['--max-semi-space-size=32', 'bin/leadrouter.js'];
    const started = performance.now();
    const child = spawnChild('import', process.execPath, [...runner, 'import', file, '--errors', join(dir, 'errors.csv')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dir, LOG_LEVEL: 'warn', SQLITE_SYNCHRONOUS: synchronous },
    });
    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, peakRssOf(child.process.pid ?? 0))), 200);
    let out = '';
    child.process.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.process.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    const exit = await child.exited;
    clearInterval(sampler);
    const seconds = (performance.now() - started) / 1000;
    if (exit.code !== 0) throw new Error(`leadrouter import failed (${exit.code ?? exit.signal}):\n${child.tail()}`);
    const counts = /(\d+) valid rows, (\d+) rejected/.exec(out);
    const created = /Imported (\d+) leads/.exec(out);
    const valid = Number(counts?.[1] ?? 0);
    const rejected = Number(counts?.[2] ?? 0);
    const figures = {
      rows: valid + rejected,
      leadsCreated: Number(created?.[1] ?? 0),
      rejected,
      seconds: Math.round(seconds * 10) / 10,
      rowsPerSec: Math.round((valid + rejected) / seconds),
      peakRssMb: Math.round(peakRss / 1024 / 1024),
      fileMb: Math.round(fileMb * 10) / 10,
      synchronous,
      runner: values.tsx ? 'tsx' : 'compiled',
    };
    console.error(`${figures.rows.toLocaleString('en-US')} rows in ${figures.seconds} s (the whole command, start-up included): ${figures.rowsPerSec} rows/s, peak RSS ${figures.peakRssMb} MB (target ≤ 300 MB)`);
    console.log(JSON.stringify(figures));
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
}

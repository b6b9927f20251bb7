/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof` or the intake benchmark's `--cpu-prof`):
 * the top functions by self time and by total (inclusive) time, and the same grouped by file
 * and by area (a package in node_modules, a folder of src, node internals, GC, idle).
 *
 *   npx tsx bench/support/cpuprofile-summary.ts <file.cpuprofile> [--top 25]
 *   npx tsx bench/support/cpuprofile-summary.ts <file.cpuprofile> --callers luxon --callers 'kysely'
 * (--callers: how much time code matching the pattern takes, by the entry point that called it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Row {
  key: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  busyMs: number;
  samples: number;
  selfByFunction: Row[];
  totalByFunction: Row[];
  selfByFile: Row[];
  totalByFile: Row[];
  selfByArea: Row[];
  totalByArea: Row[];
}

const root = fileURLToPath(new URL('../../', import.meta.url));

function shortPath(url: string): string {
  if (!url) return '';
  let path = url;
  if (url.startsWith('file://')) {
    try {
      path = relative(root, fileURLToPath(url));
    } catch {
      path = url;
    }
  }
  // Packages by their name, wherever node_modules lives (a symlinked one resolves outside the root),
  // and a profile taken in another checkout reads as if taken in this one.
  const nm = path.indexOf('node_modules/');
  if (nm > 0) return path.slice(nm);
  if (path.startsWith('../')) {
    const m = /\/((?:src|bench|test)\/.*)$/.exec(path);
    if (m?.[1]) return m[1];
  }
  return path;
}

// ---------------------------------------------------------------------------------------------
// Source maps: tsx compiles each TypeScript module to one line, so profile positions in src are
// mapped back through the inline source maps the benchmark's probe saved beside the profile.

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Per generated line: [generated column, original line] pairs, sorted by column. */
function decodeMappings(mappings: string): Array<Array<[number, number]>> {
  const lines: Array<Array<[number, number]>> = [];
  let originalLine = 0;
  for (const lineText of mappings.split(';')) {
    const segments: Array<[number, number]> = [];
    let column = 0;
    for (const segment of lineText.split(',')) {
      if (!segment) continue;
      const values: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of segment) {
        const digit = BASE64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) {
          shift += 5;
        } else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += values[0] ?? 0;
      if (values.length >= 4) {
        originalLine += values[2] as number;
        segments.push([column, originalLine]);
      }
    }
    lines.push(segments);
  }
  return lines;
}

export class SourceMaps {
  private readonly maps = new Map<string, Array<Array<[number, number]>>>();

  constructor(raw: Record<string, { mappings?: string }>) {
    for (const [url, map] of Object.entries(raw)) if (typeof map?.mappings === 'string') this.maps.set(url, decodeMappings(map.mappings));
  }

  static forProfile(file: string): SourceMaps {
    const side = `${file}.sourcemaps.json`;
    return new SourceMaps(existsSync(side) ? (JSON.parse(readFileSync(side, 'utf8')) as Record<string, { mappings?: string }>) : {});
  }

  /** The 1-based original line of a 0-based generated position, if the file has a map. */
  originalLine(url: string, line: number, column: number): number | undefined {
    const segments = this.maps.get(url)?.[line];
    if (!segments || segments.length === 0) return undefined;
    let lo = 0;
    let hi = segments.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((segments[mid] as [number, number])[0] <= column) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    const seg = segments[found >= 0 ? found : 0] as [number, number];
    return seg[1] + 1;
  }
}

const SPECIAL = new Set(['(program)', '(garbage collector)', '(idle)', '(root)']);

function fileOf(frame: CallFrame): string {
  if (SPECIAL.has(frame.functionName)) return frame.functionName;
  const path = shortPath(frame.url);
  return path || '(native / V8 builtins)';
}

/** Where time goes at a coarse level: a package, a folder of src, node internals, GC. */
export function areaOf(frame: CallFrame): string {
  if (SPECIAL.has(frame.functionName)) return frame.functionName;
  const path = shortPath(frame.url);
  if (!path) return '(native / V8 builtins)';
  if (path.startsWith('node:')) return 'node internals';
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = path.slice(nm + 'node_modules/'.length).split('/');
    return `npm: ${parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]}`;
  }
  const parts = path.split('/');
  if (parts[0] === 'src' && parts.length > 2) return `${parts[0]}/${parts[1]}/${parts.length > 3 ? `${parts[2]}/` : ''}`;
  return parts.length > 1 ? `${parts.slice(0, -1).join('/')}/` : path;
}

function functionKey(frame: CallFrame, maps: SourceMaps): string {
  if (SPECIAL.has(frame.functionName)) return frame.functionName;
  const path = shortPath(frame.url);
  const name = frame.functionName || '(anonymous)';
  const line = maps.originalLine(frame.url, frame.lineNumber, frame.columnNumber) ?? frame.lineNumber + 1;
  return path ? `${name}  ${path}:${line}` : `${name}  (native)`;
}

export function summariseCpuProfile(profile: CpuProfile, top = 25, maps = new SourceMaps({})): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  // Sample i lasts until sample i+1 (timeDeltas[i+1]); the last one gets the mean interval.
  const n = profile.samples.length;
  const total = profile.timeDeltas.reduce((a, b) => a + Math.max(0, b), 0);
  const mean = n > 0 ? total / n : 0;
  const duration = (i: number): number => Math.max(0, i + 1 < n ? (profile.timeDeltas[i + 1] as number) : mean) / 1000;

  const selfFn = new Map<string, number>();
  const selfFile = new Map<string, number>();
  const selfArea = new Map<string, number>();
  const totalFn = new Map<string, number>();
  const totalFile = new Map<string, number>();
  const totalArea = new Map<string, number>();
  const stacks = new Map<number, { fns: string[]; files: string[]; areas: string[] }>();
  const add = (map: Map<string, number>, key: string, ms: number): void => {
    map.set(key, (map.get(key) ?? 0) + ms);
  };
  const stackOf = (id: number): { fns: string[]; files: string[]; areas: string[] } => {
    let s = stacks.get(id);
    if (s) return s;
    const fns = new Set<string>();
    const files = new Set<string>();
    const areas = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)?.callFrame;
      if (!frame || frame.functionName === '(root)') continue;
      fns.add(functionKey(frame, maps));
      files.add(fileOf(frame));
      areas.add(areaOf(frame));
    }
    s = { fns: [...fns], files: [...files], areas: [...areas] };
    stacks.set(id, s);
    return s;
  };

  let totalMs = 0;
  let idleMs = 0;
  for (let i = 0; i < n; i++) {
    const id = profile.samples[i] as number;
    const node = byId.get(id);
    if (!node) continue;
    const ms = duration(i);
    totalMs += ms;
    if (node.callFrame.functionName === '(idle)') idleMs += ms;
    add(selfFn, functionKey(node.callFrame, maps), ms);
    add(selfFile, fileOf(node.callFrame), ms);
    add(selfArea, areaOf(node.callFrame), ms);
    const stack = stackOf(id);
    for (const k of stack.fns) add(totalFn, k, ms);
    for (const k of stack.files) add(totalFile, k, ms);
    for (const k of stack.areas) add(totalArea, k, ms);
  }
  const rows = (map: Map<string, number>, limit: number): Row[] =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([key, ms]) => ({ key, ms: Math.round(ms), share: totalMs > 0 ? ms / totalMs : 0 }));
  return {
    totalMs: Math.round(totalMs),
    idleMs: Math.round(idleMs),
    busyMs: Math.round(totalMs - idleMs),
    samples: n,
    selfByFunction: rows(selfFn, top),
    totalByFunction: rows(totalFn, top),
    selfByFile: rows(selfFile, top),
    totalByFile: rows(totalFile, top),
    selfByArea: rows(selfArea, 30),
    totalByArea: rows(totalArea, 30),
  };
}

export function formatProfileSummary(s: ProfileSummary, top = 25): string {
  const pct = (x: number): string => `${(x * 100).toFixed(1).padStart(5)}%`;
  const busyPct = (ms: number): string => (s.busyMs > 0 ? `${((ms / s.busyMs) * 100).toFixed(1).padStart(5)}%` : '    -');
  const table = (title: string, rows: Row[], limit: number): string =>
    [`${title}  (ms, % of sampled time, % of busy time)`, ...rows.slice(0, limit).map((r) => `  ${String(r.ms).padStart(7)}  ${pct(r.share)}  ${busyPct(r.ms)}  ${r.key}`)].join('\n');
  return [
    `CPU profile: ${s.samples} samples, ${s.totalMs} ms sampled, idle ${s.idleMs} ms (${s.totalMs ? ((s.idleMs / s.totalMs) * 100).toFixed(1) : 0}%), busy ${s.busyMs} ms`,
    table('Self time by area', s.selfByArea, 20),
    table('Total (inclusive) time by area', s.totalByArea, 20),
    table(`Top ${top} functions by self time`, s.selfByFunction, top),
    table(`Top ${top} functions by total time`, s.totalByFunction, top),
    table(`Top ${top} files by self time`, s.selfByFile, top),
    table(`Top ${top} files by total time`, s.totalByFile, top),
  ].join('\n\n');
}

/**
 * Who calls into the code matching `pattern` (a regex on "function  file:line"): for every sample
 * whose stack has a matching frame, the time goes to the nearest frame above the outermost
 * match that does not match (the entry point into that code).
 */
export function callersOf(profile: CpuProfile, pattern: RegExp, maps: SourceMaps, top = 20): { totalMs: number; rows: Row[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const n = profile.samples.length;
  const totalSampled = profile.timeDeltas.reduce((a, b) => a + Math.max(0, b), 0) / 1000;
  const entry = new Map<number, string | null>();
  const entryOf = (id: number): string | null => {
    if (entry.has(id)) return entry.get(id) ?? null;
    let caller: string | null = null;
    let inside = false;
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)?.callFrame;
      if (!frame) break;
      const key = functionKey(frame, maps);
      if (pattern.test(key)) {
        inside = true;
        caller = null;
      } else if (inside && caller === null) {
        caller = key;
      }
    }
    const result = inside ? (caller ?? '(top of stack)') : null;
    entry.set(id, result);
    return result;
  };
  const byCaller = new Map<string, number>();
  let totalMs = 0;
  for (let i = 0; i < n; i++) {
    const key = entryOf(profile.samples[i] as number);
    if (key === null) continue;
    const ms = Math.max(0, i + 1 < n ? (profile.timeDeltas[i + 1] as number) : 0) / 1000;
    totalMs += ms;
    byCaller.set(key, (byCaller.get(key) ?? 0) + ms);
  }
  const rows = [...byCaller]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, ms]) => ({ key, ms: Math.round(ms), share: totalSampled > 0 ? ms / totalSampled : 0 }));
  return { totalMs: Math.round(totalMs), rows };
}

export function summariseCpuProfileFile(file: string, top = 25): string {
  return formatProfileSummary(summariseCpuProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, top, SourceMaps.forProfile(file)), top);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values, positionals } = parseArgs({ options: { top: { type: 'string', default: '25' }, callers: { type: 'string', multiple: true } }, allowPositionals: true });
  const top = Number(values.top);
  if (positionals.length === 0) {
    console.error('usage: npx tsx bench/support/cpuprofile-summary.ts <file.cpuprofile> [--top 25] [--callers <regex>]...');
    process.exit(2);
  }
  for (const file of positionals) {
    console.log(`== ${file}`);
    if (!values.callers?.length) console.log(summariseCpuProfileFile(file, top));
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    for (const pattern of values.callers ?? []) {
      const { totalMs, rows } = callersOf(profile, new RegExp(pattern), SourceMaps.forProfile(file), top);
      console.log(`\nTime in code matching /${pattern}/: ${totalMs} ms, by entry point (ms, % of sampled time):`);
      for (const r of rows) console.log(`  ${String(r.ms).padStart(7)}  ${(r.share * 100).toFixed(1).padStart(5)}%  ${r.key}`);
    }
  }
}

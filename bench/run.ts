/**
 * `npm run bench -- <name>` runs bench/<name>.ts. Each benchmark prints its figures and,
 * as its last line, one JSON object with the headline numbers.
 */
const names = ['channel-outage', 'core', 'import', 'intake', 'intake-app', 'lists', 'live-latency', 'reports', 'rule-compare', 'soak', 'web'] as const;
const name = process.argv[2];
if (!name || !(names as readonly string[]).includes(name)) {
  console.error(`usage: npm run bench -- <${names.join('|')}>`);
  process.exit(2);
}
const bench = (await import(`./${name}.ts`)) as { default: (args: string[]) => Promise<void> };
await bench.default(process.argv.slice(3));

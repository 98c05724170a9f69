/**
 * `npm run bench`: runs every benchmark in bench/ one after the other (never in parallel: the machine has 2 cores),
 * each writing bench/results/<name>.json, then writes docs/benchmarks.md from the results.
 * Benchmarks that need Redis / Kafka read ENTRAWATCH_TEST_REDIS_URL / ENTRAWATCH_TEST_KAFKA_BROKERS
 * (start them with `npm run services:start`). Run one: `npm run bench -- decode engine`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg } from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const ALL = ['decode', 'rules-match', 'engine', 'hec', 'e2e', 'redis-memory'];
const chosen = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = chosen.length > 0 ? chosen : ALL;

process.env.ENTRAWATCH_TEST_REDIS_URL ??= 'redis://127.0.0.1:6390';
process.env.ENTRAWATCH_TEST_KAFKA_BROKERS ??= '127.0.0.1:19092';

const failed: string[] = [];
for (const name of names) {
  const script = join(here, `${name}.ts`);
  if (!existsSync(script)) {
    console.error(`bench: no bench/${name}.ts`);
    failed.push(name);
    continue;
  }
  console.log(`\n=== bench/${name}.ts (load average ${loadavg()[0]!.toFixed(2)} on ${cpus().length} cores)`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: root, stdio: 'inherit', env: process.env });
  if (r.status !== 0) failed.push(name);
}

function fmt(n: unknown): string {
  return typeof n === 'number' ? n.toLocaleString('en-US') : String(n);
}

const lines = [
  '# Benchmarks',
  '',
  'Written by `npm run bench` (bench/run.ts) from bench/results/*.json. Figures are from the machine that ran them',
  '(2 cores); a loaded machine lowers them. Each JSON file has the full figures and settings.',
  '',
  '| benchmark | figure | date |',
  '|---|---|---|',
];
for (const name of ALL) {
  const file = join(here, 'results', `${name}.json`);
  if (!existsSync(file)) {
    lines.push(`| ${name} | (not run) | |`);
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const summary = typeof r.summary === 'string' ? r.summary : Object.entries(r)
    .filter(([k, v]) => typeof v === 'number' && /PerSecond|ratio|rss|MB|bytes/i.test(k))
    .map(([k, v]) => `${k} ${fmt(v)}`)
    .join(', ');
  lines.push(`| ${name} | ${summary || 'see JSON'} | ${String(r.date ?? '')} |`);
}
writeFileSync(join(root, 'docs', 'benchmarks.md'), lines.join('\n') + '\n');
console.log(`\nwrote docs/benchmarks.md${failed.length ? `; failed: ${failed.join(', ')}` : ''}`);
process.exitCode = failed.length ? 1 : 0;

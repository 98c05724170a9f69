/**
 * `npm run bench`: runs every benchmark in bench/ one after the other (never in parallel: the machine has 2 cores),
 * each writing bench/results/<name>.json, then writes docs/benchmarks.md from the results.
 * `npm run bench -- --quick` (CI): short runs (see lib/results.ts) written to .cache/bench-quick; the table is printed,
 * docs/benchmarks.md is left alone. Exits 1 when a benchmark fails (a crash, lost events, a missed detection); figures
 * below a target are reported, not failed on: this machine moves them by 20-50%.
 * Benchmarks that need Redis / Kafka read ENTRAWATCH_TEST_REDIS_URL / ENTRAWATCH_TEST_KAFKA_BROKERS
 * (start them with `npm run services:start`). Run one: `npm run bench -- decode engine`; `-- --docs` only rewrites
 * docs/benchmarks.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg } from 'node:os';
import { resultsDir } from './lib/results.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const ALL = ['decode', 'rules-match', 'engine', 'hec', 'e2e', 'redis-memory'];
const chosen = process.argv.slice(2).filter((a) => !a.startsWith('-'));
// --docs: only rewrite docs/benchmarks.md from the results already in bench/results
const names = process.argv.includes('--docs') ? [] : chosen.length > 0 ? chosen : ALL;
const quick = process.argv.includes('--quick');
if (quick) {
  process.env.BENCH_QUICK = '1';
  process.env.BENCH_RESULTS_DIR ??= join(root, '.cache', 'bench-quick');
}

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
  if (quick) rmSync(join(resultsDir(), `${name}.json`), { force: true }); // a failed run leaves no stale figures
  console.log(`\n=== bench/${name}.ts (load average ${loadavg()[0]!.toFixed(2)} on ${cpus().length} cores)`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: root, stdio: 'inherit', env: process.env });
  if (r.status !== 0) failed.push(name);
}

type Json = Record<string, unknown>;
const num = (v: unknown): string => (typeof v === 'number' ? v.toLocaleString('en-US') : '?');

/** One line per benchmark: the figures its target is about. */
function summarize(name: string, r: Json): string {
  switch (name) {
    case 'decode':
      return `${num(r.recordsPerSecond)} records per CPU-second (target 100,000), ${num(r.microsecondsPerRecord)} µs/record`;
    case 'rules-match': {
      const workloads = (r.workloads as Json[] | undefined) ?? [];
      return (
        workloads
          .map((w) => {
            const rows = (w.results as Json[] | undefined) ?? [];
            const figures = rows.map((x) => `${num(x.rules)} rules ${num(x.eventsPerSecond)}`).join(', ');
            const rounds = (w.cost200vs50Rounds ?? {}) as Json;
            const spread = rounds.median === undefined ? '' : ` (per round: median ${num(rounds.median)}, ${num(rounds.min)}-${num(rounds.max)})`;
            return `${String(w.name)}: ${figures} events per CPU-s, 200 vs 50 cost ${num(w.cost200vs50)}x${spread}`;
          })
          .join('; ') + ' (targets: 50 rules >= 300,000, cost <= 2)'
      );
    }
    case 'engine': {
      const rows = (r.figures as Json[] | undefined) ?? [];
      const cost = (r.cost200vs50 ?? {}) as Record<string, Json>;
      const costText = Object.keys(cost).length
        ? `; samples, 200 vs 50 rules per CPU-second: ${Object.entries(cost)
            .map(([s, c]) => {
              const rounds = (c.rounds ?? {}) as Json;
              return `${s} ${num(c.best)}x (per round: median ${num(rounds.median)}, ${num(rounds.min)}-${num(rounds.max)})`;
            })
            .join(', ')}`
        : '';
      return (
        rows.map((x) => `${String(x.workload)} ${String(x.store)} ${num(x.rules)} rules: ${num(x.eventsPerSecond)} events/s`).join('; ') +
        costText +
        ' (targets: redis with correlations >= 50,000 on the samples; 200 rules cost <= 2x 50)'
      );
    }
    case 'hec':
      return `${num(r.eventsPerSecond)} events/s, ${num(r.eventsPerCpuSecond)} per CPU-second (acks on, gzip)`;
    case 'e2e': {
      const w = (r.worker ?? {}) as Json;
      const p = (r.passthrough ?? {}) as Json;
      const c = (r.cli ?? {}) as Json;
      return (
        `worker ${num(w.recordsPerSecond)} records/s (target 40,000), passthrough ${num(p.recordsPerSecond)}, ratio ${num(r.ratio)} (target 0.5); ` +
        `machine ceiling ${num(p.machineCeilingRecordsPerSecond)} records/s for the passthrough on these cores; ` +
        `entrawatch worker process with defaults ${num(c.recordsPerSecond)} records/s, peak RSS ${num(c.peakRssMb)} MB (target 300)`
      );
    }
    case 'redis-memory':
      return String(r.summary ?? '');
    default:
      return 'see JSON';
  }
}

const intro = [
  '# Benchmarks',
  '',
  'Written by `npm run bench` (bench/run.ts) from bench/results/*.json. Figures are from the machine that ran them',
  '(2 cores); a loaded machine lowers them. Each JSON file has the full figures and settings.',
  '',
];
const lines = [
  '| benchmark | figure | date |',
  '|---|---|---|',
];
for (const name of ALL) {
  const file = join(resultsDir(), `${name}.json`);
  if (!existsSync(file)) {
    lines.push(`| ${name} | (not run) | |`);
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const summary = summarize(name, r);
  lines.push(`| ${name} | ${summary || 'see JSON'} | ${String(r.date ?? '')} |`);
}
// what the rules-match workloads are: the ratio depends on how much of the traffic the added rules concern
const rulesMatch = join(resultsDir(), 'rules-match.json');
if (existsSync(rulesMatch)) {
  const workloads = ((JSON.parse(readFileSync(rulesMatch, 'utf8')) as Json).workloads as Json[] | undefined) ?? [];
  if (workloads.length > 0) {
    lines.push('', 'rules-match workloads (bench/rules-match.ts, bench/lib/generated-rules.ts):', '');
    for (const w of workloads) lines.push(`- ${String(w.name)}: ${String(w.description)}`);
  }
}
if (quick) {
  console.log(`\n${lines.join('\n')}\n\nquick run (figures too rough to quote) written to ${resultsDir()}`);
} else {
  writeFileSync(join(root, 'docs', 'benchmarks.md'), [...intro, ...lines].join('\n') + '\n');
  console.log('\nwrote docs/benchmarks.md');
}
if (failed.length) console.error(`bench: failed: ${failed.join(', ')}`);
process.exitCode = failed.length ? 1 : 0;

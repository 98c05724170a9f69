/**
 * Where a benchmark writes its figures, and how long it runs.
 * - A full run (`npm run bench`) writes bench/results/<name>.json: the figures docs/benchmarks.md and the issues quote.
 * - A quick run (`npm run bench -- --quick`, what CI runs) sets BENCH_QUICK=1: fewer rounds and events, enough to
 *   show every benchmark runs and passes its own checks (no lost events, the index misses no detection), with figures
 *   too rough to quote. It writes to BENCH_RESULTS_DIR (bench/run.ts sets .cache/bench-quick), never over the
 *   full run's files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const QUICK = process.env['BENCH_QUICK'] === '1';

/** the full run's value, or the quick run's */
export function sized<T>(full: T, quick: T): T {
  return QUICK ? quick : full;
}

const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

export function resultsDir(): string {
  const dir = process.env['BENCH_RESULTS_DIR'];
  return dir ? resolve(dir) : join(BENCH_DIR, 'results');
}

/** Writes <results dir>/<name>.json and returns its path. */
export function writeResult(name: string, result: unknown): string {
  const file = join(resultsDir(), `${name}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

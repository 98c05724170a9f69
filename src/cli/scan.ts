/**
 * `entrawatch scan <paths...|->`: decode, normalize and run the detections over files or stdin with no servers.
 * Exit codes: 0 ok; 1 with --strict when any record was bad; 2 usage or configuration error.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { FileSink } from '../sinks/file/file-sink.js';
import type { Sink } from '../sinks/types.js';
import { runScan, formatBadRecord } from '../scan/run-scan.js';
import { renderSummaryTable } from '../scan/summary.js';
import { ProgressLine } from '../scan/progress.js';
import { dirname } from 'node:path';
import { loadScanConfig } from '../config/scan-config.js';
import { createRuleEngine } from '../runtime/create-engine.js';
import { MemoryCounterStore } from '../state/index.js';
import { packageRoot } from '../package-root.js';
import { UsageError } from './usage-error.js';
import { parseDuration } from '../rules/correlation/duration.js';

interface ScanCliOptions {
  config?: string;
  rules?: string[];
  out?: string;
  events?: string;
  eventsEncoding: 'normalized' | 'raw';
  format: 'table' | 'json';
  deadLetter?: string;
  strict?: boolean;
  progress: boolean;
  quiet?: boolean;
  dns: boolean;
  lateness?: string;
}

const MAX_BAD_RECORDS_PRINTED = 20;

export function registerScanCommand(program: Command): void {
  program
    .command('scan')
    .description('run entrawatch on files or stdin with no servers: decode, normalize to CIM, detect, summarize')
    .argument('<paths...>', 'files or directories of Entra logs (Event Hubs envelopes, NDJSON, Graph JSON, portal CSV, .gz), or - for stdin')
    .option('-c, --config <file>', 'entrawatch.yaml with placeholders (approved lists) and rule settings (default: the bundled entrawatch.example.yaml)')
    .option('-r, --rules <paths...>', 'rule files or directories (default: the bundled rules/)')
    .option('-o, --out <file>', 'write detections as NDJSON to this file (- for stdout)')
    .option('-e, --events <file>', 'write every event as NDJSON to this file (- for stdout)')
    .addOption(new Option('--events-encoding <encoding>', 'events as normalized (cim + fields) or raw records').choices(['normalized', 'raw']).default('normalized'))
    .addOption(new Option('-f, --format <format>', 'summary format').choices(['table', 'json']).default('table'))
    .option('--dead-letter <file>', 'write bad records (origin, reason, snippet) as NDJSON to this file')
    .option('--strict', 'exit 1 when any record was bad')
    .option('--no-progress', 'no progress line on a terminal')
    .option('--no-dns', 'do not resolve hosts for the dangling-URI check (AP-8); those candidates are reported as unverified')
    .option('--lateness <duration>', 'allowed lateness of events in correlation windows, e.g. 10m or 2d (default: rules.correlation.allowedLateness); raise it for downloads sorted newest first')
    .option('-q, --quiet', 'do not print bad records as they are found')
    .action(async (paths: string[], opts: ScanCliOptions) => {
      for (const p of paths) {
        if (p !== '-' && !existsSync(p)) throw new UsageError(`no such file or directory: ${p}`);
      }
      const root = packageRoot();
      const configPath = opts.config ?? join(root, 'entrawatch.example.yaml');
      const config = loadScanConfig(configPath);
      if (opts.lateness !== undefined) {
        if (parseDuration(opts.lateness) === undefined) throw new UsageError(`--lateness must be a duration such as 10m, 12h or 2d, not "${opts.lateness}"`);
        config.rules.correlation.allowedLateness = opts.lateness;
      }
      const engine = await createRuleEngine({
        rules: config.rules,
        placeholders: config.placeholders,
        store: new MemoryCounterStore(),
        rulePaths: opts.rules,
        baseDir: dirname(configPath),
        resolveDns: opts.dns,
      });
      const sinks: Sink[] = [];
      if (opts.out) sinks.push(new FileSink({ path: opts.out, include: { events: false, detections: true }, name: 'detections' }));
      if (opts.events) {
        sinks.push(new FileSink({ path: opts.events, include: { events: true, detections: false }, eventEncoding: opts.eventsEncoding, name: 'events' }));
      }
      let printed = 0;
      const result = await runScan({
        inputs: paths.map((path) => ({ path })),
        engine,
        sinks,
        deadLetterPath: opts.deadLetter,
        progress: opts.progress ? new ProgressLine() : undefined,
        onBadRecord: (bad) => {
          if (opts.quiet) return;
          if (printed < MAX_BAD_RECORDS_PRINTED) process.stderr.write(`bad record: ${formatBadRecord(bad)}\n`);
          else if (printed === MAX_BAD_RECORDS_PRINTED) process.stderr.write('bad record: (more bad records: see the summary and --dead-letter)\n');
          printed++;
        },
      });
      const summaryStream = opts.out === '-' || opts.events === '-' ? process.stderr : process.stdout;
      if (opts.format === 'json') summaryStream.write(JSON.stringify(result.summary, null, 2) + '\n');
      else summaryStream.write(renderSummaryTable(result.summary));
      const late = engine.stats.late;
      if (late > 0 && opts.format === 'table') {
        summaryStream.write(
          `\n${late} events arrived later than the allowed lateness (${config.rules.correlation.allowedLateness}) and were not counted in correlation windows;` +
            ' for downloads sorted newest first, rerun with --lateness 2d\n',
        );
      }
      if (!opts.config && opts.format === 'table') {
        summaryStream.write(`\n(approved lists and thresholds from ${configPath}: pass --config with your own)\n`);
      }
      if (opts.strict && result.summary.badRecords > 0) process.exitCode = 1;
    });
}

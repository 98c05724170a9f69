/**
 * `entrawatch scan`: the same pipeline as the worker, on files or stdin, with the in-memory counter store and
 * file/stdout outputs: decode -> normalize -> rules -> outputs. Portal auth-details downloads are joined to their
 * sign-ins before normalization (auth-details-join.ts). A malformed record never stops the scan: it is
 * reported with its origin and reason, counted, and written to the dead-letter file when one is given.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { EntraEvent, RecordOrigin } from '../normalize/event.js';
import type { Detection } from '../rules/types.js';
import type { Sink } from '../sinks/types.js';
import { AuthDetailsJoin } from './auth-details-join.js';
import { readInputsByEventTime, type BadRecord } from './merged-inputs.js';
import { ScanCounter, type ScanSummary } from './summary.js';
import { ProgressLine } from './progress.js';

/** What scan needs of the rule engine (RuleEngine implements it). */
export interface DetectionEngine {
  processBatch(events: EntraEvent[]): Promise<Detection[]>;
  flush(): Promise<Detection[]>;
}

export interface ScanInput {
  /** a file or directory path, or `-` for stdin */
  path: string;
}

export type { BadRecord } from './merged-inputs.js';

export interface ScanRunOptions {
  inputs: ScanInput[];
  engine: DetectionEngine;
  /** receive events and detections (NDJSON files, stdout) */
  sinks: Sink[];
  /** dead-letter NDJSON file for bad records */
  deadLetterPath?: string;
  /** called for each bad record (the CLI prints the first ones) */
  onBadRecord?: (bad: BadRecord) => void;
  progress?: ProgressLine;
  batchSize?: number;
  stdin?: NodeJS.ReadableStream;
}

export interface ScanRunResult {
  summary: ScanSummary;
  detections: Detection[];
}

function describeOrigin(o: RecordOrigin): string {
  const where = o.line !== undefined ? `:${o.line}` : '';
  const index = o.index !== undefined ? ` record ${o.index}` : '';
  return `${o.source}${where}${index}`;
}

export function formatBadRecord(bad: BadRecord): string {
  return `${describeOrigin(bad.origin)}: ${bad.reason}`;
}

export async function runScan(options: ScanRunOptions): Promise<ScanRunResult> {
  const counter = new ScanCounter();
  const detections: Detection[] = [];
  const batchSize = options.batchSize ?? 1000;
  let deadLetters: WriteStream | undefined;
  if (options.deadLetterPath) {
    deadLetters = createWriteStream(options.deadLetterPath, { flags: 'w' });
    await once(deadLetters, 'open');
  }
  for (const sink of options.sinks) await sink.start();

  const emitDetections = async (found: Detection[]): Promise<void> => {
    if (found.length === 0) return;
    for (const d of found) counter.countDetection(d);
    detections.push(...found);
    await Promise.all(options.sinks.map((s) => s.deliver(found.map((detection) => ({ type: 'detection' as const, detection })))));
  };

  let batch: EntraEvent[] = [];
  const flushBatch = async (): Promise<void> => {
    if (batch.length === 0) return;
    const events = batch;
    batch = [];
    await Promise.all(options.sinks.map((s) => s.deliver(events.map((event) => ({ type: 'event' as const, event })))));
    await emitDetections(await options.engine.processBatch(events));
  };

  const authDetails = new AuthDetailsJoin();
  for await (const item of readInputsByEventTime(options.inputs.map((i) => i.path), { stdin: options.stdin, authDetails })) {
    if (item.kind === 'bad') {
      counter.countBadRecord();
      options.onBadRecord?.(item.bad);
      if (deadLetters && !deadLetters.write(JSON.stringify(item.bad) + '\n')) await once(deadLetters, 'drain');
      continue;
    }
    counter.countEvent(item.event);
    batch.push(item.event);
    if (batch.length >= batchSize) {
      await flushBatch();
      options.progress?.update(counter.records, counter.badRecords, detections.length, item.event.origin?.source ?? '');
    }
  }
  await flushBatch();
  if (authDetails.size > 0) counter.countAuthDetails(authDetails.counts());
  await emitDetections(await options.engine.flush());
  options.progress?.done();
  for (const sink of options.sinks) await sink.close();
  if (deadLetters) await new Promise<void>((resolve, reject) => deadLetters!.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return { summary: counter.finish(), detections };
}

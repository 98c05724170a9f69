/**
 * `entrawatch scan`: the same pipeline as the worker, on files or stdin, with the in-memory counter store and
 * file/stdout outputs: decode -> normalize -> rules -> outputs. A malformed record never stops the scan: it is
 * reported with its origin and reason, counted, and written to the dead-letter file when one is given.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { decodePath, decodeStream, listLogFiles, type DecodeResult } from '../decode/index.js';
import { normalizeRecord } from '../normalize/index.js';
import type { EntraEvent, RecordOrigin } from '../normalize/event.js';
import type { Detection } from '../rules/types.js';
import type { Sink } from '../sinks/types.js';
import { DecodeError } from '../errors.js';
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

export interface BadRecord {
  origin: RecordOrigin;
  reason: string;
  snippet: string;
}

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

type ScanItem = { kind: 'event'; event: EntraEvent } | { kind: 'bad'; bad: BadRecord };

/** Decodes and normalizes one input (a file, or stdin), item by item. */
async function* readInput(results: AsyncIterable<DecodeResult>): AsyncGenerator<ScanItem> {
  for await (const result of results) {
    if (!result.ok) {
      yield { kind: 'bad', bad: { origin: result.origin, reason: result.error.reason, snippet: result.snippet } };
      continue;
    }
    try {
      yield { kind: 'event', event: normalizeRecord(result) };
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      yield { kind: 'bad', bad: { origin: result.origin, reason: err.reason, snippet: JSON.stringify(result.record).slice(0, 200) } };
    }
  }
}

/**
 * Merges several inputs by event time, as a stream of all of them would arrive: each file is roughly in time
 * order (Azure Monitor batches, a few minutes of disorder), so always taking the earliest head keeps the merged
 * stream within the engine's allowed lateness. Reading files one after another instead would make a file that
 * covers a whole day (audit logs) push event time past every window of the next file (sign-ins).
 */
async function* mergeByEventTime(inputs: Array<AsyncGenerator<ScanItem>>): AsyncGenerator<ScanItem> {
  const heads = await Promise.all(inputs.map((it) => it.next()));
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i]!;
      if (h.done) continue;
      if (h.value.kind === 'bad') {
        best = i; // bad records are reported at once
        break;
      }
      const b = best >= 0 ? heads[best]! : undefined;
      if (!b || b.done || (b.value.kind === 'event' && h.value.event.time < b.value.event.time)) best = i;
    }
    if (best < 0) return;
    yield (heads[best] as IteratorYieldResult<ScanItem>).value;
    heads[best] = await inputs[best]!.next();
  }
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

  const inputs: Array<AsyncGenerator<ScanItem>> = [];
  for (const input of options.inputs) {
    if (input.path === '-') {
      inputs.push(readInput(decodeStream(options.stdin ?? process.stdin, '-')));
      continue;
    }
    let files: string[];
    try {
      files = await listLogFiles(input.path);
    } catch {
      files = [input.path]; // decodePath reports why it cannot be read
    }
    for (const file of files) inputs.push(readInput(decodePath(file)));
  }

  for await (const item of mergeByEventTime(inputs)) {
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
  await emitDetections(await options.engine.flush());
  options.progress?.done();
  for (const sink of options.sinks) await sink.close();
  if (deadLetters) await new Promise<void>((resolve, reject) => deadLetters!.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return { summary: counter.finish(), detections };
}

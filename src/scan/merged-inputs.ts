/**
 * Reads several inputs (files, directories, stdin) decoded and normalized, merged by event time: the order in which
 * a stream of all of them would arrive. Used by `scan` (which also joins portal auth-details downloads to their
 * sign-ins) and `replay` (which forwards records as read).
 */
import { decodePath, decodeStream, listLogFiles, type DecodeFailure, type DecodeResult } from '../decode/index.js';
import { normalizeRecord, type NormalizeOptions } from '../normalize/index.js';
import type { EntraEvent, RecordOrigin } from '../normalize/event.js';
import { DecodeError } from '../errors.js';
import { splitAuthDetailsInput, type AuthDetailsJoin } from './auth-details-join.js';

export interface BadRecord {
  origin: RecordOrigin;
  reason: string;
  snippet: string;
}

export type ScanItem = { kind: 'event'; event: EntraEvent } | { kind: 'bad'; bad: BadRecord };

/** Decodes and normalizes one input (a file, or stdin), item by item. */
async function* readInput(results: AsyncIterable<DecodeResult>, options?: NormalizeOptions): AsyncGenerator<ScanItem> {
  for await (const result of results) {
    if (!result.ok) {
      yield badItem(result);
      continue;
    }
    try {
      yield { kind: 'event', event: normalizeRecord(result, options) };
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      yield { kind: 'bad', bad: { origin: result.origin, reason: err.reason, snippet: JSON.stringify(result.record).slice(0, 200) } };
    }
  }
}

function badItem(failure: DecodeFailure): ScanItem {
  return { kind: 'bad', bad: { origin: failure.origin, reason: failure.error.reason, snippet: failure.snippet } };
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

export interface ReadInputsOptions {
  stdin?: NodeJS.ReadableStream;
  /**
   * Join portal auth-details downloads to their sign-ins (see auth-details-join.ts): those inputs are read whole
   * first, and their rows left over are emitted after every other input. Without it every row is an event.
   */
  authDetails?: AuthDetailsJoin;
}

/** Every input path (`-` = stdin) as one stream of events and bad records, merged by event time. */
export async function* readInputsByEventTime(paths: string[], options: ReadInputsOptions = {}): AsyncGenerator<ScanItem> {
  const sources: Array<AsyncIterable<DecodeResult>> = [];
  for (const path of paths) {
    if (path === '-') {
      sources.push(decodeStream(options.stdin ?? process.stdin, '-'));
      continue;
    }
    let files: string[];
    try {
      files = await listLogFiles(path);
    } catch {
      files = [path]; // decodePath reports why it cannot be read
    }
    for (const file of files) sources.push(decodePath(file));
  }
  const join = options.authDetails;
  if (join === undefined) {
    yield* mergeByEventTime(sources.map((source) => readInput(source)));
    return;
  }
  const streamed: Array<AsyncIterable<DecodeResult>> = [];
  for (const source of sources) {
    const split = await splitAuthDetailsInput(source, join);
    if (split.authDetails) for (const failure of split.failures) yield badItem(failure);
    else streamed.push(split.input);
  }
  // Without auth-details rows, sign-ins are normalized exactly as without the join.
  const normalize: NormalizeOptions | undefined = join.size > 0 ? { authenticationSteps: join } : undefined;
  yield* mergeByEventTime(streamed.map((source) => readInput(source, normalize)));
  // Only now is it known which sign-ins never came; their rows go last, behind the merged event time: no bundled
  // rule reads these `other` events, so arriving late changes no detection.
  yield* readInput(toAsync(join.unjoined()));
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

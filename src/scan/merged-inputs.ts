/**
 * Reads several inputs (files, directories, stdin) decoded and normalized, merged by event time: the order in which
 * a stream of all of them would arrive. Used by `scan` and `replay`.
 */
import { decodePath, decodeStream, listLogFiles, type DecodeResult } from '../decode/index.js';
import { normalizeRecord } from '../normalize/index.js';
import type { EntraEvent, RecordOrigin } from '../normalize/event.js';
import { DecodeError } from '../errors.js';

export interface BadRecord {
  origin: RecordOrigin;
  reason: string;
  snippet: string;
}

export type ScanItem = { kind: 'event'; event: EntraEvent } | { kind: 'bad'; bad: BadRecord };

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

/** Every input path (`-` = stdin) as one stream of events and bad records, merged by event time. */
export async function* readInputsByEventTime(paths: string[], stdin?: NodeJS.ReadableStream): AsyncGenerator<ScanItem> {
  const inputs: Array<AsyncGenerator<ScanItem>> = [];
  for (const path of paths) {
    if (path === '-') {
      inputs.push(readInput(decodeStream(stdin ?? process.stdin, '-')));
      continue;
    }
    let files: string[];
    try {
      files = await listLogFiles(path);
    } catch {
      files = [path]; // decodePath reports why it cannot be read
    }
    for (const file of files) inputs.push(readInput(decodePath(file)));
  }
  yield* mergeByEventTime(inputs);
}

/**
 * Writes records as Azure Monitor delivers them to Event Hubs: `{"records":[...]}` envelopes, one per line,
 * flushed every one to two minutes of arrival time (at most 500 records and about 900 KB each), in arrival
 * order: records arrive about a minute after their event time, and about 5 % of them straggle in 1 to 4 minutes
 * later, so the stream is mostly in time order with a few minutes of disorder. The file is gzipped
 * (deterministic output: no name, no mtime).
 */
import { gzipSync } from 'node:zlib';
import type { Rng } from './prng.js';
import type { SampleRecord } from './sample-set.js';

export const MAX_RECORDS_PER_ENVELOPE = 500;
export const MAX_ENVELOPE_BYTES = 900_000;

interface Arriving {
  arrival: number;
  record: SampleRecord;
  json: string;
}

export function arrivalOrder(records: readonly SampleRecord[], rng: Rng): Arriving[] {
  const items = records.map((record) => {
    const straggler = rng.chance(0.05) ? rng.int(60_000, 240_000) : 0;
    return { arrival: record.at.ms + 60_000 + rng.int(0, 2_000) + straggler, record, json: JSON.stringify(record.record) };
  });
  items.sort((a, b) => a.arrival - b.arrival || a.record.at.ms - b.record.at.ms || a.record.at.ticks - b.record.at.ticks || (a.record.id < b.record.id ? -1 : 1));
  return items;
}

/** The envelopes (one JSON text per line) of the records, in arrival order. */
export function envelopeLines(records: readonly SampleRecord[], rng: Rng): string[] {
  const lines: string[] = [];
  let batch: string[] = [];
  let bytes = 0;
  let deadline = -Infinity;
  const flush = () => {
    if (batch.length > 0) lines.push(`{"records":[${batch.join(',')}]}`);
    batch = [];
    bytes = 0;
  };
  for (const item of arrivalOrder(records, rng)) {
    if (item.arrival > deadline || batch.length >= MAX_RECORDS_PER_ENVELOPE || bytes + item.json.length > MAX_ENVELOPE_BYTES) {
      flush();
      deadline = item.arrival + rng.int(60_000, 120_000);
    }
    batch.push(item.json);
    bytes += item.json.length + 1;
  }
  flush();
  return lines;
}

export function gzipLines(lines: readonly string[]): Buffer {
  return gzipSync(Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8'), { level: 9 });
}

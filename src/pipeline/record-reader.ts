/**
 * Turns one Kafka message into EntraEvents and failures: decode (message -> records) then normalize (record ->
 * EntraEvent). Every failure carries what the dead-letter topic needs (reason, record index, the bytes to keep).
 * The decode and normalize functions are injected (src/decode, src/normalize) so the pipeline depends only on
 * their shapes.
 */
import type { EntraEvent, RecordOrigin } from '../normalize/event.js';

/** A successful decode result as src/decode produces it (only the parts the pipeline reads). */
export interface DecodedRecordLike {
  ok: true;
  origin: RecordOrigin;
  record?: unknown;
}

/** A failed decode result as src/decode produces it. */
export interface DecodeFailureLike {
  ok: false;
  error: { message: string; reason?: string };
  origin: RecordOrigin;
  snippet?: string;
}

export interface RecordCodec<D extends DecodedRecordLike> {
  decodeMessage(body: Buffer | string, origin: RecordOrigin): ReadonlyArray<D | DecodeFailureLike>;
  /** throws (DecodeError) when the record cannot become an EntraEvent */
  normalizeRecord(decoded: D): EntraEvent;
}

export interface ReadFailure {
  kind: 'decode' | 'normalize';
  reason: string;
  /** index of the record inside the message; undefined when the whole message failed */
  recordIndex?: number;
  /** several decode failures of one message are kept as one dead letter: the indexes of all of them */
  recordIndexes?: number[];
  /** what to keep in the dead-letter topic: the record as JSON when there is one, else the message body */
  value: Buffer | string;
}

export interface ReadResult {
  events: EntraEvent[];
  failures: ReadFailure[];
}

export type RecordReader = (body: Buffer, origin: RecordOrigin) => ReadResult;

function errorReason(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { reason?: unknown; message?: unknown };
    if (typeof e.reason === 'string' && e.reason) return e.reason;
    if (typeof e.message === 'string' && e.message) return e.message;
  }
  return String(err);
}

function recordJson(record: unknown, fallback: Buffer): Buffer | string {
  if (record === undefined) return fallback;
  try {
    return JSON.stringify(record) ?? fallback;
  } catch {
    return fallback;
  }
}

export function createRecordReader<D extends DecodedRecordLike>(codec: RecordCodec<D>): RecordReader {
  return (body, origin) => {
    const events: EntraEvent[] = [];
    const failures: ReadFailure[] = [];
    let results: ReadonlyArray<D | DecodeFailureLike>;
    try {
      results = codec.decodeMessage(body, origin);
    } catch (err) {
      failures.push({ kind: 'decode', reason: errorReason(err), value: body });
      return { events, failures };
    }
    const decodeFailures: DecodeFailureLike[] = [];
    for (const r of results) {
      if (!r.ok) {
        decodeFailures.push(r);
        continue;
      }
      try {
        const event = codec.normalizeRecord(r);
        if (!event.origin) event.origin = r.origin;
        events.push(event);
      } catch (err) {
        failures.push({
          kind: 'normalize',
          reason: errorReason(err),
          recordIndex: r.origin.index,
          value: recordJson(r.record, body),
        });
      }
    }
    if (decodeFailures.length > 0) failures.unshift(oneLetterForMessage(decodeFailures, body));
    return { events, failures };
  };
}

/** the decode failures of one message become one dead letter holding the message body once */
function oneLetterForMessage(list: DecodeFailureLike[], body: Buffer): ReadFailure {
  const first = list[0];
  const reason = first.error.reason || first.error.message;
  const indexes = list.map((f) => f.origin.index).filter((i): i is number => i !== undefined);
  return {
    kind: 'decode',
    reason: list.length > 1 ? `${reason} (and ${list.length - 1} more undecodable records in this message)` : reason,
    recordIndex: list.length === 1 ? first.origin.index : undefined,
    recordIndexes: list.length > 1 && indexes.length > 0 ? indexes : undefined,
    value: body,
  };
}

/**
 * The result types of decoding: one DecodeResult per record found, good or bad.
 */
import type { DecodeError } from '../errors.js';
import type { RecordFormat, RecordOrigin } from '../normalize/event.js';

export interface DecodedRecord {
  record: Record<string, unknown>;
  format: RecordFormat;
  origin: RecordOrigin;
}

export interface DecodeFailure {
  error: DecodeError;
  origin: RecordOrigin;
  /** at most 200 chars of the bad input */
  snippet: string;
}

export type DecodeResult = ({ ok: true } & DecodedRecord) | ({ ok: false } & DecodeFailure);

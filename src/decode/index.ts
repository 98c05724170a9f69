/**
 * decode: message bodies, streams and paths -> records (DecodedRecord) or failures (DecodeFailure), never a throw
 * for bad data. Shapes: Event Hubs envelopes, bare records, NDJSON, JSON arrays, Graph pages, portal CSV, gzip.
 */
export type { DecodedRecord, DecodeFailure, DecodeResult } from './types.js';
export { decodeMessage } from './message.js';
export { decodeStream } from './stream.js';
export { decodePath, isSkippedFileName, listLogFiles } from './path.js';
export { JsonSplitter, type SplitItem } from './json-splitter.js';
export { detectCsvFormat, canonicalHeaderName } from './csv.js';

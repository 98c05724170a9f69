/**
 * decodeMessage: one Kafka / Event Hubs message body (an envelope {"records":[...]}, a bare record, a JSON array, a
 * Graph page {"value":[...]} or NDJSON; gzip-compressed bodies are inflated) -> one DecodeResult per record.
 * Fast path: a body that is one valid JSON document (the usual envelope) is parsed at once by the native JSON.parse
 * and each record checked for depth. Otherwise (NDJSON, a malformed record, trailing junk) the body is cut by the
 * JsonSplitter and each record parsed alone, so one bad record fails alone and the others are read.
 */
import { gunzipSync } from 'node:zlib';
import { DecodeError } from '../errors.js';
import type { RecordOrigin } from '../normalize/event.js';
import { JsonSplitter, snippetOf } from './json-splitter.js';
import { pushParsedValue, resultsOfItem } from './records.js';
import type { DecodeResult } from './types.js';

function isGzip(body: Buffer): boolean {
  return body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b;
}

function firstNonBlank(text: string): number | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0xfeff) return c;
  }
  return undefined;
}

export function decodeMessage(body: Buffer | string, origin: RecordOrigin): DecodeResult[] {
  let text: string;
  if (typeof body === 'string') {
    text = body;
  } else {
    let bytes = body;
    if (isGzip(bytes)) {
      try {
        bytes = gunzipSync(bytes);
      } catch (err) {
        const reason = `gzip-compressed message could not be inflated: ${(err as Error).message}`;
        return [{ ok: false, error: new DecodeError(reason, { cause: err }), origin, snippet: '' }];
      }
    }
    text = bytes.toString('utf8'); // invalid UTF-8 becomes U+FFFD, as in every JSON reader
  }
  const out: DecodeResult[] = [];
  if (text.trim().length === 0) {
    out.push({ ok: false, error: new DecodeError('empty message body'), origin, snippet: snippetOf(text) });
    return out;
  }
  const first = firstNonBlank(text);
  if (first === 0x7b || first === 0x5b) {
    let whole: unknown;
    let parsed = false;
    try {
      whole = JSON.parse(text);
      parsed = true;
    } catch {
      // not one JSON document: split it below
    }
    if (parsed) {
      pushParsedValue(whole, text, origin, out, 0, true);
      return out;
    }
  }
  const splitter = new JsonSplitter();
  for (const item of splitter.push(text)) resultsOfItem(item, origin, out);
  for (const item of splitter.end()) resultsOfItem(item, origin, out);
  return out;
}

/**
 * decodeMessage: one Kafka / Event Hubs message body (an envelope {"records":[...]}, a bare record, a JSON array, a
 * Graph page {"value":[...]} or NDJSON; gzip-compressed bodies are inflated) -> one DecodeResult per record.
 * The body is cut by the JsonSplitter and each record parsed alone, so one bad record fails alone.
 */
import { gunzipSync } from 'node:zlib';
import { DecodeError } from '../errors.js';
import type { RecordOrigin } from '../normalize/event.js';
import { JsonSplitter, snippetOf } from './json-splitter.js';
import { resultsOfItem } from './records.js';
import type { DecodeResult } from './types.js';

function isGzip(body: Buffer): boolean {
  return body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b;
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
  const splitter = new JsonSplitter();
  for (const item of splitter.push(text)) resultsOfItem(item, origin, out);
  for (const item of splitter.end()) resultsOfItem(item, origin, out);
  return out;
}

/**
 * decodeStream: a file or stdin, streamed chunk by chunk (a 2 GB file never sits in memory). gzip is detected by its
 * magic bytes, the shape by content: first non-blank char `{` or `[` -> JSON (envelopes, arrays, Graph pages,
 * NDJSON, concatenated documents: JsonSplitter), anything else -> portal CSV. An empty input yields nothing.
 */
import { StringDecoder } from 'node:string_decoder';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { DecodeError } from '../errors.js';
import { decodeCsv } from './csv.js';
import { JsonSplitter } from './json-splitter.js';
import { resultsOfItem } from './records.js';
import type { DecodeResult } from './types.js';

/** Read chunks until `enough(prefix)` or the end; returns the prefix and an iterable of everything (prefix first). */
async function peek(
  source: AsyncIterable<Buffer>,
  enough: (prefix: Buffer) => boolean,
): Promise<{ prefix: Buffer; all: AsyncIterable<Buffer> }> {
  const it = source[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let prefix: Buffer = Buffer.alloc(0);
  let done = false;
  while (!enough(prefix)) {
    const next = await it.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    head.push(chunk);
    prefix = head.length === 1 ? chunk : Buffer.concat([prefix, chunk]);
  }
  async function* all(): AsyncGenerator<Buffer> {
    for (const chunk of head) yield chunk;
    if (done) return;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    }
  }
  return { prefix, all: all() };
}

function firstMeaningfulByte(prefix: Buffer): number | undefined {
  let i = 0;
  if (prefix.length >= 3 && prefix[0] === 0xef && prefix[1] === 0xbb && prefix[2] === 0xbf) i = 3; // UTF-8 BOM
  for (; i < prefix.length; i++) {
    const b = prefix[i];
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return b;
  }
  return undefined;
}

function gunzip(chunks: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
  const gz = createGunzip();
  const input = Readable.from(chunks);
  input.on('error', (err) => gz.destroy(err));
  input.pipe(gz);
  return gz;
}

async function* decodeJson(chunks: AsyncIterable<Buffer>, source: string): AsyncGenerator<DecodeResult> {
  const splitter = new JsonSplitter();
  const decoder = new StringDecoder('utf8');
  const origin = { source };
  const out: DecodeResult[] = [];
  for await (const chunk of chunks) {
    for (const item of splitter.push(decoder.write(chunk))) resultsOfItem(item, origin, out);
    if (out.length > 0) {
      yield* out;
      out.length = 0;
    }
  }
  const tail = decoder.end();
  if (tail) for (const item of splitter.push(tail)) resultsOfItem(item, origin, out);
  for (const item of splitter.end()) resultsOfItem(item, origin, out);
  yield* out;
}

async function* decodeText(chunks: AsyncIterable<Buffer>, source: string): AsyncGenerator<DecodeResult> {
  const { prefix, all } = await peek(chunks, (p) => firstMeaningfulByte(p) !== undefined || p.length > 1 << 20);
  const first = firstMeaningfulByte(prefix);
  if (first === undefined) return; // empty or blank input
  if (first === 0x7b || first === 0x5b) yield* decodeJson(all, source);
  else yield* decodeCsv(all, source);
}

export async function* decodeStream(input: NodeJS.ReadableStream, source: string): AsyncGenerator<DecodeResult> {
  const raw = input as AsyncIterable<Buffer>;
  try {
    const { prefix, all } = await peek(raw, (p) => p.length >= 2);
    const gz = prefix.length >= 2 && prefix[0] === 0x1f && prefix[1] === 0x8b;
    yield* decodeText(gz ? gunzip(all) : all, source);
  } catch (err) {
    const reason = `reading ${source} failed: ${(err as Error).message} (records before this point were read)`;
    yield { ok: false, error: new DecodeError(reason, { cause: err }), origin: { source }, snippet: '' };
  }
}

/**
 * Portal CSV downloads -> one raw row per record, keyed by header NAME (csv-parse, streamed).
 * Headers are trimmed and inner runs of spaces collapsed ("Autonomous system  number"); a repeated header name gets
 * a `#2`, `#3`... suffix in the row so nothing is lost (normalize reads the first non-empty one). Quoted multi-line
 * cells, a BOM, short rows (missing columns are left out of the row) and extra cells (kept as `column<N>`) are
 * tolerated; a row csv-parse cannot read becomes a DecodeFailure and reading goes on.
 * The download kind is told by the header: `Activity` -> audit, `Authentication method` without `Status` ->
 * sign-in authentication details, `Request ID` / `Sign-in error code` / `Date (UTC)` -> sign-ins.
 */
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { DecodeError } from '../errors.js';
import type { RecordFormat, RecordOrigin } from '../normalize/event.js';
import { snippetOf } from './json-splitter.js';
import type { DecodeResult } from './types.js';

export type CsvFormat = Extract<RecordFormat, 'csv-signin' | 'csv-signin-authdetails' | 'csv-audit'>;

export function canonicalHeaderName(header: string): string {
  return header.replace(/\s+/g, ' ').trim();
}

/** Tell a portal download by its header names (already canonical). */
export function detectCsvFormat(headers: readonly string[]): CsvFormat | undefined {
  const names = new Set(headers.map((h) => h.toLowerCase()));
  if (names.has('activity') || names.has('activity type') || names.has('activitydisplayname')) return 'csv-audit';
  if (names.has('authentication method') && !names.has('status') && !names.has('sign-in error code')) {
    return 'csv-signin-authdetails';
  }
  if (names.has('request id') || names.has('sign-in error code') || names.has('date (utc)') || names.has('date')) {
    return 'csv-signin';
  }
  return undefined;
}

/** Row keys for the header cells: canonical names, duplicates suffixed `#2`, `#3`... */
export function rowKeysOf(headers: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return headers.map((raw) => {
    const name = canonicalHeaderName(raw);
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}#${n}`;
  });
}

/** Set an own property even for keys like `__proto__` (never touches a prototype). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function csvSnippet(cells: readonly string[]): string {
  return snippetOf(cells.join(','));
}

/** Decode a CSV text stream (already inflated). Row numbers: header = row 1. */
export async function* decodeCsv(chunks: AsyncIterable<Buffer>, source: string): AsyncGenerator<DecodeResult> {
  const skipped: DecodeResult[] = [];
  let row = 0;
  const parser = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err, raw) => {
      row++;
      const reason = `CSV row ${row}: ${err ? err.message : 'unreadable row'}`;
      skipped.push({ ok: false, error: new DecodeError(reason, { cause: err }), origin: { source, line: row }, snippet: snippetOf(raw ?? '') });
      return undefined;
    },
  });
  const input = Readable.from(chunks);
  input.on('error', (err) => parser.destroy(err));
  input.pipe(parser);

  let keys: string[] | undefined;
  let format: CsvFormat | undefined;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      while (skipped.length > 0) yield skipped.shift() as DecodeResult;
      row++;
      if (keys === undefined) {
        keys = rowKeysOf(cells);
        format = detectCsvFormat(keys.map((k) => k.replace(/#\d+$/, '')));
        if (format === undefined) {
          const reason = 'CSV header not recognized as an Entra sign-in, sign-in authentication details or audit download (expected columns such as "Date (UTC)", "Request ID" or "Activity")';
          yield { ok: false, error: new DecodeError(reason), origin: { source, line: 1 }, snippet: csvSnippet(cells) };
          return;
        }
        continue;
      }
      const record: Record<string, unknown> = {};
      const n = cells.length;
      for (let i = 0; i < n; i++) setOwn(record, i < keys.length ? keys[i] : `column${i + 1}`, cells[i]);
      yield { ok: true, record, format: format as CsvFormat, origin: { source, line: row } };
    }
    while (skipped.length > 0) yield skipped.shift() as DecodeResult;
  } catch (err) {
    while (skipped.length > 0) yield skipped.shift() as DecodeResult;
    const reason = `CSV reading stopped after row ${row}: ${(err as Error).message}`;
    yield { ok: false, error: new DecodeError(reason, { cause: err }), origin: { source, line: row + 1 }, snippet: '' };
  } finally {
    input.destroy();
  }
}

/**
 * From parsed JSON to records: unwraps what a split item may still hold (an envelope `{"records":[...]}`, a Graph
 * page `{"value":[...]}`, an array) and tells the record format by content (a `properties` object, or a
 * `category` with `time`/`operationName`, means the Azure Monitor diagnostic-settings shape; else Graph).
 */
import { DecodeError } from '../errors.js';
import type { RecordFormat, RecordOrigin } from '../normalize/event.js';
import { DEFAULT_MAX_DEPTH, SNIPPET_CHARS, snippetOf, type SplitItem } from './json-splitter.js';
import type { DecodeResult } from './types.js';

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function detectJsonRecordFormat(record: Record<string, unknown>): RecordFormat {
  if (record.properties !== undefined) return 'azure-monitor';
  if (typeof record.category === 'string' && (record.time !== undefined || record.operationName !== undefined)) {
    return 'azure-monitor';
  }
  return 'graph';
}

function failure(reason: string, origin: RecordOrigin, snippet: string, cause?: unknown): DecodeResult {
  return { ok: false, error: new DecodeError(reason, { cause }), origin, snippet: snippetOf(snippet) };
}

function withPlace(base: RecordOrigin, line: number | undefined, index: number | undefined): RecordOrigin {
  const origin: RecordOrigin = { ...base };
  if (line !== undefined && base.line === undefined) origin.line = line;
  if (index !== undefined) origin.index = index;
  return origin;
}

/**
 * `{ ...origin, index }` without the object spread (slow per record): Object.assign copies the same keys in the same
 * order by a fast builtin path. An origin is built by the readers (never parsed input), so it has no "__proto__" key
 * that Object.assign would set as the prototype.
 */
function withIndex(origin: RecordOrigin, index: number): RecordOrigin {
  const copy = Object.assign({}, origin);
  copy.index = index;
  return copy;
}

/** true when `value` nests deeper than `limit` levels (bounded recursion: never deeper than `limit` frames). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (limit <= 0) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (typeof v === 'object' && v !== null && nestsDeeperThan(v, limit - 1)) return true;
    }
    return false;
  }
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (typeof v === 'object' && v !== null && nestsDeeperThan(v, limit - 1)) return true;
  }
  return false;
}

/**
 * Push the record(s) of a parsed JSON value to `out`. `checkDepth`: the value did not come through the
 * JsonSplitter (which already enforces the depth limit), so check each record here.
 */
export function pushParsedValue(
  value: unknown,
  text: string,
  origin: RecordOrigin,
  out: DecodeResult[],
  depth = 0,
  checkDepth = false,
): void {
  if (isJsonObject(value)) {
    const inner = Array.isArray(value.records) ? value.records : Array.isArray(value.value) ? value.value : undefined;
    if (inner === undefined || depth > 1) {
      if (checkDepth && nestsDeeperThan(value, DEFAULT_MAX_DEPTH)) {
        out.push(failure(`record nested deeper than ${DEFAULT_MAX_DEPTH} levels: skipped`, origin, text.slice(0, SNIPPET_CHARS)));
        return;
      }
      out.push({ ok: true, record: value, format: detectJsonRecordFormat(value), origin });
      return;
    }
    for (let i = 0; i < inner.length; i++) {
      pushParsedValue(inner[i], text, withIndex(origin, i), out, depth + 1, checkDepth);
    }
    return;
  }
  if (Array.isArray(value) && depth <= 1) {
    for (let i = 0; i < value.length; i++) pushParsedValue(value[i], text, withIndex(origin, i), out, depth + 1, checkDepth);
    return;
  }
  const got = value === null ? 'null' : Array.isArray(value) ? 'a nested array' : typeof value;
  out.push(failure(`record is not a JSON object (got ${got})`, origin, text));
}

/** Turn one split item into decode results (usually one). */
export function resultsOfItem(item: SplitItem, base: RecordOrigin, out: DecodeResult[]): void {
  const origin = withPlace(base, item.line, item.index);
  if (item.kind === 'error') {
    out.push(failure(item.reason, origin, item.snippet));
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(item.text);
  } catch (err) {
    const where = origin.line !== undefined ? ` (line ${origin.line}${origin.index !== undefined ? `, record ${origin.index}` : ''})` : '';
    out.push(failure(`invalid JSON${where}: ${(err as Error).message}`, origin, item.text, err));
    return;
  }
  pushParsedValue(value, item.text, origin, out);
}

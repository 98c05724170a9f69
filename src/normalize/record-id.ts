/**
 * Stable event ids: the record's own id (properties.id / Graph id / CSV Request ID), else `h:` + the sha256 of the
 * canonical JSON of the raw record (keys sorted at every level), so the same record always gets the same id.
 */
import { createHash } from 'node:crypto';
import { DecodeError } from '../errors.js';
import { isObject } from './values.js';

export const MAX_RECORD_DEPTH = 64;

function canonical(value: unknown, depth: number, out: string[]): void {
  if (depth > MAX_RECORD_DEPTH) throw new DecodeError(`record nested deeper than ${MAX_RECORD_DEPTH} levels`);
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      canonical(value[i] === undefined ? null : value[i], depth + 1, out);
    }
    out.push(']');
  } else if (isObject(value)) {
    const keys = Object.keys(value).sort();
    out.push('{');
    let first = true;
    for (const key of keys) {
      const v = value[key];
      if (v === undefined) continue;
      if (!first) out.push(',');
      first = false;
      out.push(JSON.stringify(key), ':');
      canonical(v, depth + 1, out);
    }
    out.push('}');
  } else {
    out.push(JSON.stringify(value) ?? 'null');
  }
}

/** JSON with sorted keys; throws DecodeError beyond MAX_RECORD_DEPTH levels (never a stack overflow). */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  canonical(value, 0, out);
  return out.join('');
}

export function hashRecordId(record: unknown): string {
  return 'h:' + createHash('sha256').update(canonicalJson(record)).digest('hex');
}

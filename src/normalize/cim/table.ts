/**
 * A CIM mapping is a table: [CIM field, how to compute it from the canonical fields]. Evaluated in order; a
 * computation returning undefined leaves the field out (never "" or null).
 */
import type { CimFields, CimValue } from '../event.js';
import type { JsonObject } from '../values.js';

export interface CimContext {
  /** canonical fields (Azure Monitor shape) */
  f: JsonObject;
  /** fields.properties */
  p: JsonObject;
  category: string;
  /** per-event scratch a table may fill once and reuse across its rows (e.g. the audit targets) */
  memo?: unknown;
}

export type CimRow = readonly [field: string, compute: (c: CimContext) => CimValue | undefined];
export type CimTable = readonly CimRow[];

export function applyCimTable(table: CimTable, context: CimContext): CimFields {
  const cim: CimFields = {};
  for (let i = 0; i < table.length; i++) {
    const row = table[i];
    const value = row[1](context);
    if (value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0)) cim[row[0]] = value;
  }
  return cim;
}

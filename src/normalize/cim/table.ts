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
}

export type CimRow = readonly [field: string, compute: (c: CimContext) => CimValue | undefined];
export type CimTable = readonly CimRow[];

export function applyCimTable(table: CimTable, context: CimContext): CimFields {
  const cim: CimFields = {};
  for (const [field, compute] of table) {
    const value = compute(context);
    if (value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0)) cim[field] = value;
  }
  return cim;
}

/**
 * compileFieldAccessor: resolves a field name written in a rule, once, into a FieldAccessor.
 *
 * Resolution order (case-insensitive):
 * 1. explicit prefix: `cim.<name>` -> event.cim, `fields.<path>` -> event.fields;
 * 2. the Log Analytics / SigmaHQ column table (mapping.ts), on the whole name, else on its first segment;
 * 3. a CIM field name (cim-fields.ts) -> event.cim;
 * 4. a record path: as written when it starts with a top-level record key (`properties.status.errorCode`,
 *    `operationName`), else `properties.<path>` first and `<path>` second (Graph names such as
 *    `userPrincipalName` or `status.errorCode` work too).
 * Arrays on the way are visited element by element; `get` returns [] when the field is absent.
 */
import type { EntraEvent } from '../../normalize/event.js';
import type { FieldAccessor } from '../types.js';
import { CIM_FIELD_NAMES, isCimFieldName } from './cim-fields.js';
import { FIELD_MAPPINGS, INDEXABLE_TARGETS, RECORD_TOP_LEVEL_KEYS, type FieldMapping } from './mapping.js';
import { compilePath, FOUND, MATCHED, NOT_FOUND, type CompiledPath, type LeafVisitor, type WalkResult } from './path.js';

export { CIM_FIELD_NAMES } from './cim-fields.js';
export { FIELD_MAPPINGS } from './mapping.js';
export type { LeafVisitor } from './path.js';

/** A FieldAccessor that can also test its values without allocating. */
export interface CompiledFieldAccessor extends FieldAccessor {
  /** true when `visit` returned true for one of the field's values (arrays flattened) */
  some(event: EntraEvent, visit: LeafVisitor): boolean;
  /** the accessor reads only the activity name or the error code: the rule index prefers its exact values */
  readonly indexable: boolean;
}

type TargetReader = (event: EntraEvent, visit: LeafVisitor) => WalkResult;

/** Values computed from the record, for Log Analytics columns that have no record field of their own. */
const DERIVED_VALUES: Record<string, (event: EntraEvent) => string | undefined> = {
  /** Sign-in `Status` as the portal shows it: Success when status.errorCode is 0, else Failure. */
  signinStatusText(event) {
    const props = event.fields.properties;
    if (typeof props !== 'object' || props === null) return undefined;
    const status = (props as Record<string, unknown>).status;
    if (typeof status !== 'object' || status === null) return undefined;
    const code = (status as Record<string, unknown>).errorCode;
    if (code === undefined || code === null || code === '') return undefined;
    return Number(code) === 0 ? 'Success' : 'Failure';
  },
};

function targetReader(target: string): TargetReader {
  if (target.startsWith('derived:')) {
    const derive = DERIVED_VALUES[target.slice('derived:'.length)];
    if (!derive) throw new Error(`unknown derived field ${target}`);
    return (event, visit) => {
      const value = derive(event);
      return value === undefined ? NOT_FOUND : visit(value) ? MATCHED : FOUND;
    };
  }
  const dot = target.indexOf('.');
  const root = target.slice(0, dot);
  const path: CompiledPath = compilePath(target.slice(dot + 1));
  if (root === 'cim') return (event, visit) => path.walk(event.cim, visit);
  return (event, visit) => path.walk(event.fields, visit);
}

function combineReaders(mapping: FieldMapping): TargetReader {
  const readers = mapping.targets.map(targetReader);
  if (readers.length === 1) return readers[0];
  if (mapping.combine === 'all') {
    return (event, visit) => {
      let result: WalkResult = NOT_FOUND;
      for (let i = 0; i < readers.length; i++) {
        const r = readers[i](event, visit);
        if (r === MATCHED) return MATCHED;
        if (r === FOUND) result = FOUND;
      }
      return result;
    };
  }
  // first: the first target that has any value decides
  return (event, visit) => {
    for (let i = 0; i < readers.length; i++) {
      const r = readers[i](event, visit);
      if (r !== NOT_FOUND) return r;
    }
    return NOT_FOUND;
  };
}

/** Resolves a rule's field name to a mapping (no compilation). Exported for documentation and tests. */
export function resolveFieldName(name: string): FieldMapping {
  const trimmed = name.trim();
  const lower = trimmed.toLowerCase();
  if (lower.startsWith('cim.')) return { combine: 'first', targets: [`cim.${trimmed.slice(4)}`] };
  if (lower.startsWith('fields.')) return { combine: 'first', targets: [`fields.${trimmed.slice(7)}`] };
  const whole = FIELD_MAPPINGS[lower];
  if (whole) return whole;
  const dot = trimmed.indexOf('.');
  if (dot > 0) {
    const head = FIELD_MAPPINGS[lower.slice(0, dot)];
    if (head && head.targets.length === 1 && !head.targets[0].startsWith('derived:')) {
      return { combine: 'first', targets: [`${head.targets[0]}${trimmed.slice(dot)}`] };
    }
  }
  if (dot < 0 && isCimFieldName(lower)) {
    const cimName = CIM_FIELD_NAMES.find((c) => c === lower) ?? lower;
    return { combine: 'first', targets: [`cim.${cimName}`] };
  }
  const topLevel = lower.slice(0, dot < 0 ? undefined : dot);
  if (RECORD_TOP_LEVEL_KEYS.has(topLevel)) return { combine: 'first', targets: [`fields.${trimmed}`] };
  return { combine: 'first', targets: [`fields.properties.${trimmed}`, `fields.${trimmed}`] };
}

const cache = new Map<string, CompiledFieldAccessor>();

/** Compiles a field name (record path, CIM field or Log Analytics column) into an accessor. */
export function compileFieldAccessor(name: string): CompiledFieldAccessor {
  const cached = cache.get(name);
  if (cached) return cached;
  if (name.trim() === '') throw new Error('empty field name');
  const mapping = resolveFieldName(name);
  const read = combineReaders(mapping);
  const resolved =
    mapping.targets.length === 1 ? mapping.targets[0] : `${mapping.combine}(${mapping.targets.join(', ')})`;
  const accessor: CompiledFieldAccessor = {
    name,
    resolved,
    indexable: mapping.targets.every((t) => INDEXABLE_TARGETS.has(t)),
    some: (event, visit) => read(event, visit) === MATCHED,
    get(event) {
      const values: unknown[] = [];
      read(event, (v) => {
        values.push(v);
        return false;
      });
      return values;
    },
  };
  cache.set(name, accessor);
  return accessor;
}

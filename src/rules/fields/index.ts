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
import { ARRAY_ON_THE_WAY, compilePath, compileResolveObject, FOUND, MATCHED, NOT_FOUND, pathKeys, type CompiledPath, type LeafVisitor, type WalkResult } from './path.js';

export { CIM_FIELD_NAMES } from './cim-fields.js';
export { FIELD_MAPPINGS } from './mapping.js';
export type { LeafVisitor } from './path.js';

/** A FieldAccessor that can also test its values without allocating. */
export interface CompiledFieldAccessor extends FieldAccessor {
  /** true when `visit` returned true for one of the field's values (arrays flattened) */
  some(event: EntraEvent, visit: LeafVisitor): boolean;
  /** the accessor reads only the activity name or the error code: the rule index prefers its exact values */
  readonly indexable: boolean;
  /** the targets it reads and how it combines them (the rule index shares dimensions by them) */
  readonly mapping: FieldMapping;
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

/**
 * One target compiled: a derived value's reader, or a record or CIM path's generated walk, the root it starts from
 * and its keys under that root.
 */
interface CompiledTarget {
  read?: TargetReader;
  walk?: CompiledPath['walk'];
  root?: 'fields' | 'cim';
  /** the keys of the path under the root */
  keys?: string[];
}

function compileTarget(target: string): CompiledTarget {
  if (target.startsWith('derived:')) {
    const derive = DERIVED_VALUES[target.slice('derived:'.length)];
    if (!derive) throw new Error(`unknown derived field ${target}`);
    return {
      read: (event, visit) => {
        const value = derive(event);
        return value === undefined ? NOT_FOUND : visit(value) ? MATCHED : FOUND;
      },
    };
  }
  const dot = target.indexOf('.');
  const path = target.slice(dot + 1);
  return { walk: compilePath(path).walk, root: target.slice(0, dot) === 'cim' ? 'cim' : 'fields', keys: pathKeys(path) };
}

/** The parent keys of a target that reads one key of an object (`properties.status.errorCode`: properties.status). */
function parentKeys(t: CompiledTarget): string | undefined {
  return t.walk && t.keys && t.keys.length >= 2 ? `${t.root}\u0000${t.keys.slice(0, -1).join('\u0000')}` : undefined;
}

/**
 * `some` of an accessor as one generated function (see path.ts for why generated): it calls each target's walk
 * directly, a constant call the JIT can inline, instead of going through reader closures shared by all accessors.
 * Consecutive targets under one object (SigmaHQ's `Status`: three keys of properties.status) resolve that object
 * once and read their keys from it; with an array on the way they walk their full paths. The generated text holds
 * only parameter names and numbers.
 */
function generatedSome(mapping: FieldMapping, targets: readonly CompiledTarget[]): CompiledFieldAccessor['some'] {
  const fns: unknown[] = [];
  const param = (fn: unknown): string => {
    fns.push(fn);
    return `f${fns.length - 1}`;
  };
  const ARRAY = param(ARRAY_ON_THE_WAY);
  const exprs: string[] = [];
  const prelude: string[] = [];
  let objectVar = '';
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i]!;
    const parent = parentKeys(t);
    const sameAsPrevious = parent !== undefined && i > 0 && parentKeys(targets[i - 1]!) === parent;
    const sameAsNext = parent !== undefined && i + 1 < targets.length && parentKeys(targets[i + 1]!) === parent;
    prelude.push('');
    if (!t.walk) {
      exprs.push(`${param(t.read!)}(event, visit)`);
    } else if (!sameAsPrevious && !sameAsNext) {
      exprs.push(`${param(t.walk)}(event.${t.root}, visit)`);
    } else {
      if (!sameAsPrevious) {
        objectVar = `o${i}`;
        prelude[i] = `const ${objectVar} = ${param(compileResolveObject(t.keys!.slice(0, -1)))}(event.${t.root});`;
      }
      const whole = param(t.walk);
      const leaf = param(compilePath(t.keys![t.keys!.length - 1]!).walk);
      exprs.push(`(${objectVar} === ${ARRAY} ? ${whole}(event.${t.root}, visit) : ${objectVar} === undefined ? ${NOT_FOUND} : ${leaf}(${objectVar}, visit))`);
    }
  }
  const lines: string[] = [];
  if (mapping.combine === 'all' || exprs.length === 1) {
    exprs.forEach((e, i) => lines.push(prelude[i]!, `if (${e} === ${MATCHED}) return true;`));
    lines.push('return false;');
  } else {
    lines.push('let r;');
    exprs.forEach((e, i) => lines.push(prelude[i]!, `r = ${e};`, `if (r !== ${NOT_FOUND}) return r === ${MATCHED};`));
    lines.push('return false;');
  }
  const factory = new Function(...fns.map((_, i) => `f${i}`), `return function some(event, visit) {\n${lines.join('\n')}\n};`) as (
    ...helpers: unknown[]
  ) => CompiledFieldAccessor['some'];
  return factory(...fns);
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
  const some = generatedSome(mapping, mapping.targets.map(compileTarget));
  const resolved =
    mapping.targets.length === 1 ? mapping.targets[0] : `${mapping.combine}(${mapping.targets.join(', ')})`;
  const accessor: CompiledFieldAccessor = {
    name,
    resolved,
    indexable: mapping.targets.every((t) => INDEXABLE_TARGETS.has(t)),
    mapping,
    some,
    get(event) {
      const values: unknown[] = [];
      some(event, (v) => {
        values.push(v);
        return false;
      });
      return values;
    },
  };
  cache.set(name, accessor);
  return accessor;
}

/**
 * Compiled record paths: `properties.status.errorCode` split once into segments, then walked per event with
 * case-insensitive key lookup (the exact spelling first, then the spelling last seen, then a scan) and with
 * arrays visited element by element (as Splunk's `{}`). Walking calls a visitor per leaf and stops as soon as
 * the visitor returns true, so matching allocates nothing.
 */

/** Called for each leaf; returning true stops the walk (the field "matched"). */
export type LeafVisitor = (value: unknown) => boolean;

/** Result of a walk: no leaf found, leaves found but none accepted, or a leaf accepted. */
export const NOT_FOUND = 0;
export const FOUND = 1;
export const MATCHED = 2;
export type WalkResult = typeof NOT_FOUND | typeof FOUND | typeof MATCHED;

/** One compiled path over a plain JSON object. */
export interface CompiledPath {
  /** the dotted path, as written (without any `fields.` / `cim.` prefix) */
  readonly path: string;
  /** visits every leaf reached by the path */
  walk(root: unknown, visit: LeafVisitor): WalkResult;
}

interface Segment {
  /** the key as written in the rule */
  exact: string;
  lower: string;
  /** the spelling last found in a record (records of one source spell keys the same way) */
  seen: string;
  /** the key is also an Object.prototype member (`constructor`...): only own properties count */
  inherited: boolean;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** The value under the segment's key (any case), or undefined. */
function child(obj: Record<string, unknown>, seg: Segment): unknown {
  if (seg.inherited) {
    for (const key in obj) if (key.toLowerCase() === seg.lower && hasOwn.call(obj, key)) return obj[key];
    return undefined;
  }
  let v = obj[seg.exact];
  if (v !== undefined) return v;
  if (seg.seen !== seg.exact) {
    v = obj[seg.seen];
    if (v !== undefined) return v;
  }
  for (const key in obj) {
    if (key.length === seg.lower.length && key.toLowerCase() === seg.lower) {
      seg.seen = key;
      return obj[key];
    }
  }
  return undefined;
}

function visitLeaf(value: unknown, visit: LeafVisitor): WalkResult {
  if (Array.isArray(value)) {
    let result: WalkResult = NOT_FOUND;
    for (let i = 0; i < value.length; i++) {
      const r = visitLeaf(value[i], visit);
      if (r === MATCHED) return MATCHED;
      if (r === FOUND) result = FOUND;
    }
    return result;
  }
  return visit(value) ? MATCHED : FOUND;
}

function walkFrom(node: unknown, segments: readonly Segment[], depth: number, visit: LeafVisitor): WalkResult {
  if (typeof node !== 'object' || node === null) return NOT_FOUND;
  if (Array.isArray(node)) {
    let result: WalkResult = NOT_FOUND;
    for (let i = 0; i < node.length; i++) {
      const r = walkFrom(node[i], segments, depth, visit);
      if (r === MATCHED) return MATCHED;
      if (r === FOUND) result = FOUND;
    }
    return result;
  }
  const value = child(node as Record<string, unknown>, segments[depth]);
  if (value === undefined) return NOT_FOUND;
  if (depth === segments.length - 1) return visitLeaf(value, visit);
  return walkFrom(value, segments, depth + 1, visit);
}

/** Compiles a dotted path once; `{}` markers (Splunk style, `a{}.b`) are accepted and ignored. */
export function compilePath(path: string): CompiledPath {
  const parts = path
    .split('.')
    .map((p) => p.replace(/\{\}$/, ''))
    .filter((p) => p.length > 0);
  const segments: Segment[] = parts.map((p) => ({ exact: p, lower: p.toLowerCase(), seen: p, inherited: p in Object.prototype }));
  if (segments.length === 1) {
    const seg = segments[0];
    return {
      path,
      walk(root, visit) {
        if (typeof root !== 'object' || root === null || Array.isArray(root)) return walkFrom(root, segments, 0, visit);
        const value = child(root as Record<string, unknown>, seg);
        return value === undefined ? NOT_FOUND : visitLeaf(value, visit);
      },
    };
  }
  return { path, walk: (root, visit) => walkFrom(root, segments, 0, visit) };
}

/** Visits every primitive leaf of a JSON value (used by keyword search over a whole record). */
export function someLeaf(node: unknown, visit: LeafVisitor): boolean {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) if (someLeaf(node[i], visit)) return true;
    return false;
  }
  if (typeof node === 'object' && node !== null) {
    for (const key in node) if (someLeaf((node as Record<string, unknown>)[key], visit)) return true;
    return false;
  }
  return node === undefined ? false : visit(node);
}

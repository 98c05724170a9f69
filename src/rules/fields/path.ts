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
  const v = obj[seg.exact];
  return v !== undefined ? v : otherSpelling(obj, seg);
}

/** The value under the segment's key spelt otherwise than in the rule (the exact spelling was absent), or undefined. */
function otherSpelling(obj: Record<string, unknown>, seg: Segment): unknown {
  if (seg.seen !== seg.exact) {
    const v = obj[seg.seen];
    if (v !== undefined) return v;
  }
  for (const key in obj) {
    if (key.length === seg.lower.length && equalsLowercase(key, seg.lower)) {
      seg.seen = key;
      return obj[key];
    }
  }
  return undefined;
}

/**
 * key.toLowerCase() === lower, for a key of lower's length, without lowercasing (an allocation) in the usual case:
 * ASCII letters are folded in place and the first differing character ends it; a non-ASCII character falls back
 * to toLowerCase.
 */
function equalsLowercase(key: string, lower: string): boolean {
  for (let i = 0; i < key.length; i++) {
    let c = key.charCodeAt(i);
    if (c >= 128) return key.toLowerCase() === lower;
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
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

type Walk = CompiledPath['walk'];

/**
 * Generated code that sets `value` to the value of `node` under segments[depth]'s key: a property read with the
 * key as a JSON string literal, then otherSpelling when absent; child for a key that is also an Object.prototype
 * member.
 */
function readKey(seg: Segment, depth: number): string {
  return seg.inherited
    ? `value = child(node, segments[${depth}]);`
    : `value = node[${JSON.stringify(seg.exact)}]; if (value === undefined) value = otherSpelling(node, segments[${depth}]);`;
}

/**
 * The walk of one path as its own functions, built once per path with `new Function`: one function per key, each
 * calling the next (constant calls the JIT inlines), so every property read has its own inline cache, which stays
 * monomorphic because records of one source share one shape. One shared loop reading `obj[segment]` for every path
 * of every rule is megamorphic (a generic lookup per read) and was the main cost of matching and of the rule index.
 * An array met at a key is walked element by element by the same function (Splunk `{}`), so paths through
 * targetResources[].modifiedProperties[] stay on the fast path too. The generated code only reads properties: keys
 * are embedded as JSON string literals (escaped, so a key cannot inject code); keys spelt in another case and keys
 * that are also Object.prototype members go through the shared child / otherSpelling above.
 */
function generatedWalk(segments: readonly Segment[]): Walk {
  const fns: string[] = [];
  segments.forEach((seg, depth) => {
    const read = `let ${readKey(seg, depth)}`;
    const next =
      depth < segments.length - 1
        ? `return w${depth + 1}(value, visit);`
        : `return Array.isArray(value) ? visitLeaf(value, visit) : visit(value) ? ${MATCHED} : ${FOUND};`;
    fns.push(
      `function w${depth}(node, visit) {`,
      `  if (typeof node !== 'object' || node === null) return ${NOT_FOUND};`,
      '  if (Array.isArray(node)) {',
      `    let result = ${NOT_FOUND};`,
      '    for (let i = 0; i < node.length; i++) {',
      `      const r = w${depth}(node[i], visit);`,
      `      if (r === ${MATCHED}) return ${MATCHED};`,
      `      if (r === ${FOUND}) result = ${FOUND};`,
      '    }',
      '    return result;',
      '  }',
      `  ${read}`,
      `  if (value === undefined) return ${NOT_FOUND};`,
      `  ${next}`,
      '}',
    );
  });
  const factory = new Function('child', 'otherSpelling', 'visitLeaf', 'segments', `${fns.join('\n')}\nreturn w0;`) as (...helpers: unknown[]) => Walk;
  return factory(child, otherSpelling, visitLeaf, segments);
}

/** The keys of a dotted path; `{}` markers (Splunk style, `a{}.b`) are accepted and ignored. */
export function pathKeys(path: string): string[] {
  return path
    .split('.')
    .map((p) => p.replace(/\{\}$/, ''))
    .filter((p) => p.length > 0);
}

function segmentsOf(keys: readonly string[]): Segment[] {
  return keys.map((p) => ({ exact: p, lower: p.toLowerCase(), seen: p, inherited: p in Object.prototype }));
}

/** Compiles a dotted path once; a path without a key (`fields.`, `.`) is an error. */
export function compilePath(path: string): CompiledPath {
  const segments = segmentsOf(pathKeys(path));
  if (segments.length === 0) throw new Error('the field names no key: write a record path such as properties.status.errorCode');
  return { path, walk: generatedWalk(segments) };
}

/** What resolveObject returns when an array is on the way: the caller walks the whole path instead. */
export const ARRAY_ON_THE_WAY: unique symbol = Symbol('array on the way');

export type ResolveObject = (root: unknown) => Record<string, unknown> | undefined | typeof ARRAY_ON_THE_WAY;

/**
 * Resolves the object at a key path (several paths of one accessor share it: `Status` reads three keys of
 * properties.status), generated as compilePath's walks are: the object when every node on the way and the node
 * itself are non-array objects; undefined when the path is absent or reaches a non-object (no path through it can
 * have a value); ARRAY_ON_THE_WAY when an array is met (arrays are visited element by element: walk the full path).
 */
export function compileResolveObject(keys: readonly string[]): ResolveObject {
  const segments = segmentsOf(keys);
  const body: string[] = ['let node = root;', 'let value;'];
  const isObject = [`if (typeof node !== 'object' || node === null) return undefined;`, 'if (Array.isArray(node)) return ARRAY;'];
  segments.forEach((seg, depth) => {
    body.push(
      ...isObject,
      readKey(seg, depth),
      'if (value === undefined) return undefined;',
      'node = value;',
    );
  });
  body.push(...isObject, 'return node;');
  const factory = new Function('child', 'otherSpelling', 'segments', 'ARRAY', `return function resolveObject(root) {\n${body.join('\n')}\n};`) as (
    ...helpers: unknown[]
  ) => ResolveObject;
  return factory(child, otherSpelling, segments, ARRAY_ON_THE_WAY);
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

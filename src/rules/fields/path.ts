/**
 * Compiled record paths: `properties.status.errorCode` split once into segments, then walked per event with
 * case-insensitive key lookup (the exact spelling first, then the spelling last seen, then a scan) and with
 * arrays visited element by element (as Splunk's `{}`). Walking calls a visitor per leaf and stops as soon as
 * the visitor returns true, so matching allocates nothing.
 */

/** Called for each leaf; returning true stops the walk (the field "matched"). */
export type LeafVisitor = (value: unknown) => boolean;

/** One compiled path over a plain JSON object. */
export interface CompiledPath {
  /** the dotted path, as written (without any `fields.` / `cim.` prefix) */
  readonly path: string;
  /** visits every leaf reached by the path; true when the visitor returned true for one of them */
  some(root: unknown, visit: LeafVisitor): boolean;
}

interface Segment {
  /** the key as written in the rule */
  exact: string;
  lower: string;
  /** the spelling last found in a record (records of one source spell keys the same way) */
  seen: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** own key of `obj` equal to the segment ignoring case, or undefined */
function findKey(obj: Record<string, unknown>, seg: Segment): string | undefined {
  if (Object.prototype.hasOwnProperty.call(obj, seg.exact)) return seg.exact;
  if (seg.seen !== seg.exact && Object.prototype.hasOwnProperty.call(obj, seg.seen)) return seg.seen;
  for (const key in obj) {
    if (key.length === seg.lower.length && key.toLowerCase() === seg.lower) {
      seg.seen = key;
      return key;
    }
  }
  return undefined;
}

function visitLeaf(value: unknown, visit: LeafVisitor): boolean {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (visitLeaf(value[i], visit)) return true;
    return false;
  }
  return visit(value);
}

function walk(node: unknown, segments: readonly Segment[], depth: number, visit: LeafVisitor): boolean {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) if (walk(node[i], segments, depth, visit)) return true;
    return false;
  }
  if (!isRecord(node)) return false;
  const seg = segments[depth];
  const key = findKey(node, seg);
  if (key === undefined) return false;
  const child = node[key];
  if (child === undefined) return false;
  if (depth === segments.length - 1) return visitLeaf(child, visit);
  return walk(child, segments, depth + 1, visit);
}

/** Compiles a dotted path once; `{}` markers (Splunk style, `a{}.b`) are accepted and ignored. */
export function compilePath(path: string): CompiledPath {
  const parts = path
    .split('.')
    .map((p) => p.replace(/\{\}$/, ''))
    .filter((p) => p.length > 0);
  const segments: Segment[] = parts.map((p) => ({ exact: p, lower: p.toLowerCase(), seen: p }));
  if (segments.length === 1) {
    const seg = segments[0];
    return {
      path,
      some(root, visit) {
        if (!isRecord(root)) return false;
        const key = findKey(root, seg);
        if (key === undefined) return false;
        const child = root[key];
        return child === undefined ? false : visitLeaf(child, visit);
      },
    };
  }
  return { path, some: (root, visit) => walk(root, segments, 0, visit) };
}

/** Visits every primitive leaf of a JSON value (used by keyword search over a whole record). */
export function someLeaf(node: unknown, visit: LeafVisitor): boolean {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) if (someLeaf(node[i], visit)) return true;
    return false;
  }
  if (isRecord(node)) {
    for (const key in node) if (someLeaf(node[key], visit)) return true;
    return false;
  }
  return node === undefined ? false : visit(node);
}

/**
 * RuleIndex (DESIGN decision 3): picks the candidate rules for an event, never missing one. Rules are grouped by
 * event kind (from their logsource); within a kind, a rule with index keys sits in the buckets of its required
 * values (activity names, error codes, other exact field values, required substrings, networks), and a rule
 * without keys sits in the fallback list that every event gets. For an event the index reads each indexed field
 * once, looks its values up (remembering, per field, the buckets of the values it has seen), and returns the bucket
 * rules plus the fallback rules in load order. Merged lists are precomputed (one bucket) or cached (several
 * buckets), so the usual lookup allocates nothing. The returned arrays are shared and frozen: do not modify them.
 */
import type { EntraEvent, EventKind } from '../../normalize/event.js';
import type { LeafVisitor } from '../fields/index.js';
import type { CompiledRule } from '../sigma/compile.js';
import { indexText, type IndexKey } from './index-keys.js';
import { EVENT_KINDS } from './kinds.js';
import { compileNetwork, parseAddress, type NetworkTest } from '../sigma/cidr.js';

interface Dimension {
  field: string;
  accessor: IndexKey['accessor'];
  /** exact value -> bucket id */
  buckets: Map<string, number>;
  /** required substrings and their bucket ids */
  substrings: string[];
  substringBuckets: number[];
  /** networks (`cidr`), their tests and bucket ids: an event value is parsed once as an address */
  networks: string[];
  networkTests: NetworkTest[];
  networkBuckets: number[];
  /**
   * event value (as read, before lowercasing) -> the bucket ids it hits: the values of most fields repeat across
   * events. A field whose values seldom repeat (addresses, user names) pauses it: see remember().
   */
  memo: Map<unknown, readonly number[]>;
  /** lookups answered by the memo since it was last emptied */
  memoHits: number;
  /** lookups left before the memo is tried again (0: in use) */
  memoPause: number;
  /**
   * For a dimension of exact values only: lengths[n] = 1 when a value has n characters. Lowercasing keeps a
   * string's length, except that U+0130 becomes two characters, so a string whose length no value has (and that
   * is not shorter and holding U+0130) hits no bucket: most values of a busy field are dismissed without hashing.
   */
  lengths: Uint8Array | undefined;
}

interface KindIndex {
  dimensions: Dimension[];
  fallback: readonly CompiledRule[];
  /** bucket id -> rules of the bucket merged with the fallback, in load order */
  single: (readonly CompiledRule[])[];
  /** bucket id -> ordinals of the bucket's rules */
  bucketOrdinals: number[][];
  fallbackOrdinals: number[];
  /**
   * two-bucket combinations (the usual multi-hit case), keyed by lo * bucketCount + hi: a small integer, so the
   * lookup allocates nothing (a key past the small-integer range would be a heap number)
   */
  pairs: Map<number, readonly CompiledRule[]>;
}

const MAX_CACHED_COMBINATIONS = 4096;

export interface RuleIndexStats {
  rules: number;
  /** rules indexed by activity / error code, per kind */
  indexed: Record<EventKind, number>;
  /** rules that are candidates for every event of the kind */
  fallback: Record<EventKind, number>;
  /** rules that are never candidates (another product) */
  never: number;
  /** the fields read per event of each kind, with their exact values and substrings counts */
  dimensions: Record<EventKind, string[]>;
}

/**
 * One field read instead of two: a key on field F can sit in the dimension of an accessor that other rules use and
 * that yields F's values whenever F has any:
 * - `first(F, ...)` (rules written `properties.status.errorCode` next to SigmaHQ's `ResultType`, which reads the
 *   error code first and resultType only when it is absent): when F has a value, it yields exactly F's values;
 * - `all(..., F, ...)` (SigmaHQ's `Status`: error code, failure reason, additional details): it yields F's values
 *   and others; the others can only add candidates, never lose one.
 * Returns that accessor per field F.
 */
function sharedReaders(rules: readonly CompiledRule[]): Map<string, IndexKey['accessor']> {
  const firstOf = new Map<string, IndexKey['accessor']>();
  const memberOf = new Map<string, IndexKey['accessor']>();
  for (const r of rules) {
    for (const k of r.indexKeys ?? []) {
      const { combine, targets } = k.accessor.mapping;
      if (targets.length < 2) continue;
      if (combine === 'first' && !firstOf.has(targets[0]!)) firstOf.set(targets[0]!, k.accessor);
      if (combine === 'all') for (const member of targets) if (!memberOf.has(member)) memberOf.set(member, k.accessor);
    }
  }
  for (const [field, accessor] of memberOf) if (!firstOf.has(field)) firstOf.set(field, accessor);
  return firstOf;
}

/** distinct values remembered per dimension (a field with more, such as an address, starts over when full) */
const MEMO_LIMIT = 4096;
const MEMO_PAUSE = 65_536;
/** longer texts are looked up each time, not kept (a memo holds at most about 2 MB) */
const MEMO_MAX_TEXT = 256;
const NO_BUCKETS: readonly number[] = Object.freeze([]);

/** The buckets a value of the dimension's field hits: its exact bucket, and the buckets of the substrings it contains. */
function bucketsOf(dim: Dimension, value: unknown): readonly number[] {
  let ids: number[] | undefined;
  if (dim.buckets.size > 0 || dim.substrings.length > 0) {
    // not lowerCached: its few slots would churn with the values of every dimension; the memo above serves repeats
    const text = typeof value === 'string' ? value.toLowerCase() : indexText(value);
    if (text === undefined) return NO_BUCKETS;
    const id = dim.buckets.get(text);
    if (id !== undefined) ids = [id];
    const subs = dim.substrings;
    for (let i = 0; i < subs.length; i++) if (text.includes(subs[i])) (ids ??= []).push(dim.substringBuckets[i]);
  }
  if (dim.networks.length > 0 && typeof value === 'string') {
    const address = parseAddress(value);
    if (address) for (let i = 0; i < dim.networkTests.length; i++) if (dim.networkTests[i](address)) (ids ??= []).push(dim.networkBuckets[i]);
  }
  return ids ?? NO_BUCKETS;
}

/**
 * Keeps a value's buckets in the dimension's memo. When the memo is full it starts over, unless fewer than half of
 * its lookups found their value: then the field's values seldom repeat, and the memo pauses for MEMO_PAUSE lookups.
 */
function remember(dim: Dimension, value: unknown, ids: readonly number[]): void {
  if (typeof value === 'object' || (typeof value === 'string' && value.length > MEMO_MAX_TEXT)) return;
  if (dim.memo.size >= MEMO_LIMIT) {
    if (dim.memoHits < MEMO_LIMIT) dim.memoPause = MEMO_PAUSE;
    dim.memo.clear();
    dim.memoHits = 0;
    if (dim.memoPause > 0) return;
  }
  dim.memo.set(value, ids);
}

function mayHaveExactBucket(lengths: Uint8Array, value: string): boolean {
  const n = value.length;
  if (n < lengths.length && lengths[n] === 1) return true;
  return n < lengths.length - 1 && value.includes('\u0130');
}

/** The length table of a dimension of exact values only (see Dimension.lengths). */
function exactLengths(dim: Dimension): Uint8Array | undefined {
  if (dim.substrings.length > 0 || dim.networks.length > 0 || dim.buckets.size === 0) return undefined;
  let max = 0;
  for (const value of dim.buckets.keys()) max = Math.max(max, value.length);
  const lengths = new Uint8Array(max + 1);
  for (const value of dim.buckets.keys()) lengths[value.length] = 1;
  return lengths;
}

export class RuleIndex {
  private readonly rules: readonly CompiledRule[];
  private readonly kinds = new Map<EventKind, KindIndex>();
  private readonly combos = new Map<string, readonly CompiledRule[]>();
  private readonly hits: number[] = [];
  private currentDim: Dimension | undefined;
  private readonly visit: LeafVisitor = (v) => {
    const dim = this.currentDim!;
    if (typeof v === 'string' && dim.lengths && !mayHaveExactBucket(dim.lengths, v)) return false;
    let ids: readonly number[] | undefined;
    if (dim.memoPause > 0) {
      dim.memoPause--;
      ids = bucketsOf(dim, v);
    } else {
      ids = dim.memo.get(v);
      if (ids === undefined) {
        ids = bucketsOf(dim, v);
        remember(dim, v, ids);
      } else {
        dim.memoHits++;
      }
    }
    const hits = this.hits;
    for (let i = 0; i < ids.length; i++) if (!hits.includes(ids[i])) hits.push(ids[i]);
    return false;
  };

  constructor(rules: readonly CompiledRule[]) {
    this.rules = rules;
    for (const kind of EVENT_KINDS) this.kinds.set(kind, this.buildKind(kind));
  }

  private buildKind(kind: EventKind): KindIndex {
    const dims = new Map<string, Dimension>();
    const bucketOrdinals: number[][] = [];
    const fallbackOrdinals: number[] = [];
    const shared = sharedReaders(this.rules.filter((r) => r.kinds.includes(kind)));
    const newBucket = (): number => bucketOrdinals.push([]) - 1;
    this.rules.forEach((rule, ordinal) => {
      if (!rule.kinds.includes(kind)) return;
      if (!rule.indexKeys) {
        fallbackOrdinals.push(ordinal);
        return;
      }
      for (const rawKey of rule.indexKeys) {
        const reader = shared.get(rawKey.field);
        const key = reader ? { ...rawKey, field: reader.resolved, accessor: reader } : rawKey;
        let dim = dims.get(key.field);
        if (!dim) {
          dim = { field: key.field, accessor: key.accessor, buckets: new Map(), substrings: [], substringBuckets: [], networks: [], networkTests: [], networkBuckets: [], memo: new Map(), memoHits: 0, memoPause: 0, lengths: undefined };
          dims.set(key.field, dim);
        }
        let id: number;
        if (key.match === 'exact') {
          id = dim.buckets.get(key.value) ?? newBucket();
          dim.buckets.set(key.value, id);
        } else if (key.match === 'network') {
          const at = dim.networks.indexOf(key.value);
          id = at >= 0 ? dim.networkBuckets[at]! : newBucket();
          if (at < 0) {
            dim.networks.push(key.value);
            dim.networkTests.push(compileNetwork(key.value));
            dim.networkBuckets.push(id);
          }
        } else {
          const at = dim.substrings.indexOf(key.value);
          id = at >= 0 ? dim.substringBuckets[at]! : newBucket();
          if (at < 0) {
            dim.substrings.push(key.value);
            dim.substringBuckets.push(id);
          }
        }
        const list = bucketOrdinals[id];
        if (list[list.length - 1] !== ordinal) list.push(ordinal);
      }
    });
    for (const dim of dims.values()) dim.lengths = exactLengths(dim);
    return {
      dimensions: [...dims.values()],
      fallback: Object.freeze(fallbackOrdinals.map((o) => this.rules[o])),
      single: bucketOrdinals.map((b) => this.merge([b, fallbackOrdinals])),
      bucketOrdinals,
      fallbackOrdinals,
      pairs: new Map(),
    };
  }

  private merge(lists: number[][]): readonly CompiledRule[] {
    const ordinals = [...new Set(lists.flat())].sort((a, b) => a - b);
    return Object.freeze(ordinals.map((o) => this.rules[o]));
  }

  /** The rules that may match the event (a superset of the rules that do), in load order. */
  candidates(event: EntraEvent): readonly CompiledRule[] {
    const idx = this.kinds.get(event.kind) ?? this.kinds.get('other')!;
    const hits = this.hits;
    if (hits.length !== 0) hits.length = 0;
    for (let i = 0; i < idx.dimensions.length; i++) {
      this.currentDim = idx.dimensions[i];
      this.currentDim.accessor.some(event, this.visit);
    }
    this.currentDim = undefined;
    if (hits.length === 0) return idx.fallback;
    if (hits.length === 1) return idx.single[hits[0]];
    if (hits.length === 2) {
      const lo = hits[0] < hits[1] ? hits[0] : hits[1];
      const hi = hits[0] < hits[1] ? hits[1] : hits[0];
      const pairKey = lo * idx.bucketOrdinals.length + hi;
      let pair = idx.pairs.get(pairKey);
      if (!pair) {
        if (idx.pairs.size >= MAX_CACHED_COMBINATIONS) idx.pairs.clear();
        pair = this.merge([idx.bucketOrdinals[lo], idx.bucketOrdinals[hi], idx.fallbackOrdinals]);
        idx.pairs.set(pairKey, pair);
      }
      return pair;
    }
    hits.sort((a, b) => a - b);
    const key = `${event.kind}:${hits.join(',')}`;
    let merged = this.combos.get(key);
    if (!merged) {
      if (this.combos.size >= MAX_CACHED_COMBINATIONS) this.combos.clear();
      merged = this.merge([...hits.map((h) => idx.bucketOrdinals[h]), idx.fallbackOrdinals]);
      this.combos.set(key, merged);
    }
    return merged;
  }

  stats(): RuleIndexStats {
    const indexed = { signin: 0, audit: 0, risk: 0, other: 0 };
    const fallback = { signin: 0, audit: 0, risk: 0, other: 0 };
    for (const r of this.rules) {
      for (const k of r.kinds) {
        if (r.indexKeys) indexed[k]++;
        else fallback[k]++;
      }
    }
    const dimensions = { signin: [], audit: [], risk: [], other: [] } as Record<EventKind, string[]>;
    for (const [kind, idx] of this.kinds) {
      dimensions[kind] = idx.dimensions.map((d) => `${d.field}: ${d.buckets.size} values, ${d.substrings.length} substrings${d.networks.length ? `, ${d.networks.length} networks` : ''}`);
    }
    return { rules: this.rules.length, indexed, fallback, never: this.rules.filter((r) => r.kinds.length === 0).length, dimensions };
  }
}

/**
 * RuleIndex (DESIGN decision 3): picks the candidate rules for an event, never missing one. Rules are grouped by
 * event kind (from their logsource); within a kind, a rule with index keys sits in the buckets of its required
 * values (activity names, error codes, other exact field values, required substrings), and a rule without keys sits in the fallback list that every event gets. For an
 * event the index reads each indexed field once, looks its values up, and returns the bucket rules plus the
 * fallback rules in load order. Merged lists are precomputed (one bucket) or cached (several buckets), so the
 * usual lookup allocates nothing. The returned arrays are shared and frozen: do not modify them.
 */
import type { EntraEvent, EventKind } from '../../normalize/event.js';
import type { LeafVisitor } from '../fields/index.js';
import type { CompiledRule } from '../sigma/compile.js';
import { indexText, type IndexKey } from './index-keys.js';
import { EVENT_KINDS } from './kinds.js';

interface Dimension {
  field: string;
  accessor: IndexKey['accessor'];
  /** exact value -> bucket id */
  buckets: Map<string, number>;
  /** required substrings and their bucket ids */
  substrings: string[];
  substringBuckets: number[];
}

interface KindIndex {
  dimensions: Dimension[];
  fallback: readonly CompiledRule[];
  /** bucket id -> rules of the bucket merged with the fallback, in load order */
  single: (readonly CompiledRule[])[];
  /** bucket id -> ordinals of the bucket's rules */
  bucketOrdinals: number[][];
  fallbackOrdinals: number[];
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
 * One field read instead of two: a key on field F can sit in the dimension of an accessor `first(F, ...)` that
 * other rules use (rules written `properties.status.errorCode` next to SigmaHQ's `ResultType`, which reads the error
 * code first and resultType only when it is absent): when F has a value, `first(F, ...)` yields exactly F's values,
 * so an event that has the key's value in F has it there too. Returns that accessor per field F.
 */
function sharedReaders(rules: readonly CompiledRule[]): Map<string, IndexKey['accessor']> {
  const firstOf = new Map<string, IndexKey['accessor']>();
  for (const r of rules) {
    for (const k of r.indexKeys ?? []) {
      const m = /^first\(([^,()]+),/.exec(k.field);
      if (m && !firstOf.has(m[1]!)) firstOf.set(m[1]!, k.accessor);
    }
  }
  return firstOf;
}

export class RuleIndex {
  private readonly rules: readonly CompiledRule[];
  private readonly kinds = new Map<EventKind, KindIndex>();
  private readonly combos = new Map<string, readonly CompiledRule[]>();
  /** two-bucket combinations (the usual multi-hit case), keyed by number: no string per event */
  private readonly pairs = new Map<number, readonly CompiledRule[]>();
  private readonly hits: number[] = [];
  private currentDim: Dimension | undefined;
  private readonly visit: LeafVisitor = (v) => {
    const text = indexText(v);
    if (text === undefined) return false;
    const dim = this.currentDim!;
    const id = dim.buckets.get(text);
    if (id !== undefined && !this.hits.includes(id)) this.hits.push(id);
    const subs = dim.substrings;
    for (let i = 0; i < subs.length; i++) {
      if (text.includes(subs[i])) {
        const sid = dim.substringBuckets[i];
        if (!this.hits.includes(sid)) this.hits.push(sid);
      }
    }
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
          dim = { field: key.field, accessor: key.accessor, buckets: new Map(), substrings: [], substringBuckets: [] };
          dims.set(key.field, dim);
        }
        let id: number | undefined;
        if (key.match === 'exact') {
          id = dim.buckets.get(key.value);
          if (id === undefined) {
            id = bucketOrdinals.length;
            bucketOrdinals.push([]);
            dim.buckets.set(key.value, id);
          }
        } else {
          const at = dim.substrings.indexOf(key.value);
          if (at >= 0) id = dim.substringBuckets[at];
          else {
            id = bucketOrdinals.length;
            bucketOrdinals.push([]);
            dim.substrings.push(key.value);
            dim.substringBuckets.push(id);
          }
        }
        const list = bucketOrdinals[id];
        if (list[list.length - 1] !== ordinal) list.push(ordinal);
      }
    });
    return {
      dimensions: [...dims.values()],
      fallback: Object.freeze(fallbackOrdinals.map((o) => this.rules[o])),
      single: bucketOrdinals.map((b) => this.merge([b, fallbackOrdinals])),
      bucketOrdinals,
      fallbackOrdinals,
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
    hits.length = 0;
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
      const pairKey = (EVENT_KINDS.indexOf(event.kind) + 1) * 2 ** 42 + lo * 2 ** 21 + hi;
      let pair = this.pairs.get(pairKey);
      if (!pair) {
        if (this.pairs.size >= MAX_CACHED_COMBINATIONS) this.pairs.clear();
        pair = this.merge([idx.bucketOrdinals[lo], idx.bucketOrdinals[hi], idx.fallbackOrdinals]);
        this.pairs.set(pairKey, pair);
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
      dimensions[kind] = idx.dimensions.map((d) => `${d.field}: ${d.buckets.size} values, ${d.substrings.length} substrings`);
    }
    return { rules: this.rules.length, indexed, fallback, never: this.rules.filter((r) => r.kinds.length === 0).length, dimensions };
  }
}

/**
 * Pure evaluation helpers of the counter stores: condition ranges, window metrics, suppression. The memory store
 * uses them directly; the Redis Lua scripts (src/state/redis/lua) implement the same rules, and the shared contract
 * test suite checks that both agree.
 */
import type { SeriesSpec, StoreCondition, WindowMetric } from './types.js';

export function conditionHolds(c: StoreCondition, v: number): boolean {
  if (c.gt !== undefined && !(v > c.gt)) return false;
  if (c.gte !== undefined && !(v >= c.gte)) return false;
  if (c.lt !== undefined && !(v < c.lt)) return false;
  if (c.lte !== undefined && !(v <= c.lte)) return false;
  if (c.eq !== undefined && v !== c.eq) return false;
  if (c.neq !== undefined && v === c.neq) return false;
  return true;
}

/** Window condition: an undefined condition means "all ruleCount rules seen (in order)". */
export function windowConditionHolds(c: StoreCondition | undefined, ruleCount: number, v: number): boolean {
  return c === undefined ? v >= ruleCount : conditionHolds(c, v);
}

export interface WindowEntry {
  time: number;
  ruleIndex: number;
  num: number | undefined;
}

/** Measures a window from its entries (count / sum / avg / percentile / sequence) or its distinct set. */
export function measureWindow(
  metric: WindowMetric,
  entries: Iterable<WindowEntry>,
  entryCount: number,
  distinctCount: number,
  percentile: number | undefined,
): number {
  if (metric === 'count') return entryCount;
  if (metric === 'distinct' || metric === 'rules') return distinctCount;
  const list = [...entries];
  if (metric === 'sequence') {
    list.sort((a, b) => (a.time === b.time ? a.ruleIndex - b.ruleIndex : a.time - b.time));
    let need = 0;
    for (const e of list) if (e.ruleIndex === need) need++;
    return need;
  }
  const nums = list.map((e) => e.num).filter((x): x is number => x !== undefined && Number.isFinite(x));
  if (nums.length === 0) return 0;
  if (metric === 'sum' || metric === 'avg') {
    const s = nums.reduce((a, b) => a + b, 0);
    return metric === 'avg' ? s / nums.length : s;
  }
  nums.sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(((percentile ?? 95) / 100) * nums.length));
  return nums[rank - 1]!;
}

/** Window starts of the hopping windows that contain time t. */
export function windowStarts(t: number, timespanMs: number, hopMs: number): number[] {
  const first = Math.floor(t / hopMs) * hopMs;
  const out: number[] = [];
  for (let k = 0; k < Math.floor(timespanMs / hopMs); k++) out.push(first - k * hopMs);
  return out;
}

/** Encodes a condition for the Lua scripts: "gte=10;lt=20". */
export function encodeCondition(c: StoreCondition | undefined): string {
  if (!c) return '';
  return Object.entries(c)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join(';');
}

/** How long a group without events is remembered by rate_change / baseline. */
export function seriesRetentionMs(spec: SeriesSpec): number {
  return spec.mode === 'rate' ? (spec.previous + 1) * spec.timespanMs : Math.max(spec.learningMs, 7 * 86_400_000);
}

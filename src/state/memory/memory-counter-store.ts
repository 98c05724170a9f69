/**
 * MemoryCounterStore: the CounterStore of one process (entrawatch scan, tests). Same semantics as the Redis store
 * (the shared contract suite runs on both); memory stays bounded by event time: closed windows, closed buckets and
 * values older than the lookback are dropped as the watermark moves.
 */
import { EVIDENCE_CAP } from '../types.js';
import type {
  BucketToClose,
  CounterStore,
  NoveltyAdd,
  NoveltyHit,
  NoveltySpec,
  SeriesAdd,
  SeriesHit,
  SeriesInfo,
  SeriesSpec,
  StoreOp,
  StoreResult,
  WindowAdd,
  WindowHit,
  WindowSpec,
} from '../types.js';
import {
  conditionHolds,
  measureWindow,
  seriesRetentionMs,
  windowConditionHolds,
  windowStarts,
  type WindowEntry,
} from '../evaluate.js';

interface WindowState {
  group: string;
  start: number;
  entries: Map<string, WindowEntry>;
  distinct: Set<string>;
  evidence: string[];
  last: number;
  fired: boolean;
  /** the fire was emitted (not suppressed) */
  emitted?: boolean;
  /** id of the last event added by the batch that fired the window: its redelivery replays the fire */
  trigger?: string;
  /** id of the last event added by the current batch */
  lastNewId?: string;
}

interface WindowScope {
  windows: Map<string, WindowState>;
  /** window end -> keys of the windows ending then (closing and pruning visit only what is due) */
  byEnd: Map<number, Set<string>>;
  /** close-time windows: key -> end */
  open: Map<string, number>;
  /** closed windows: key -> end */
  closed: Map<string, number>;
}

interface SeriesScope {
  first: number | null;
  lastClosed: number | null;
  maxTime: number | null;
  /** group -> last bucket with events */
  groups: Map<string, number>;
  counts: Map<string, Map<number, number>>;
  ids: Map<string, Set<string>>;
  evidence: Map<string, string[]>;
  stats: Map<string, Map<number, { n: number; sum: number; sq: number }>>;
}

interface NoveltyScope {
  groups: Map<string, { first: number; values: Map<string, { first: number; last: number; fid: string }> }>;
  pending: Map<string, { group: string; value: string; time: number; id: string }>;
  maxTime: number;
  lastPrune: number;
}

const SEP = '\x1e';

export class MemoryCounterStore implements CounterStore {
  private readonly windowScopes = new Map<string, WindowScope>();
  private readonly seriesScopes = new Map<string, SeriesScope>();
  private readonly noveltyScopes = new Map<string, NoveltyScope>();
  /** scope SEP group SEP bucket -> bucket end: suppression marks */
  private readonly marks = new Map<string, number>();

  async execute(ops: StoreOp[]): Promise<StoreResult[]> {
    const out: StoreResult[] = [];
    for (const op of ops) {
      switch (op.kind) {
        case 'window':
          out.push({ kind: 'window', ...this.window(op.scope, op.spec, op.adds, op.closeUntil) });
          break;
        case 'series-add':
          out.push({ kind: 'series-add', accepted: this.seriesAdd(op.scope, op.spec, op.adds) });
          break;
        case 'novelty':
          out.push({ kind: 'novelty', fired: this.novelty(op.scope, op.spec, op.adds, op.finalizeUntil) });
          break;
        case 'suppress':
          out.push({ kind: 'suppress', suppressed: this.suppressed(op.scope, op.group, op.time, op.periodMs) });
          break;
      }
    }
    return out;
  }

  async close(): Promise<void> {
    // nothing to release
  }

  /** How many windows, buckets and values are held (for tests of bounded memory). */
  size(): number {
    let n = 0;
    for (const s of this.windowScopes.values()) n += s.windows.size + s.closed.size;
    for (const s of this.seriesScopes.values()) n += s.ids.size;
    for (const s of this.noveltyScopes.values()) for (const g of s.groups.values()) n += g.values.size;
    return n;
  }

  private suppressed(scope: string, group: string, t: number, ms: number): boolean {
    if (ms <= 0) return false;
    const bucket = Math.floor(t / ms) * ms;
    const key = scope + SEP + group + SEP + bucket;
    if (this.marks.has(key)) return true;
    this.marks.set(key, bucket + ms);
    if (this.marks.size > 200_000) {
      for (const [k, end] of this.marks) if (end < t - 2 * ms) this.marks.delete(k);
    }
    return false;
  }

  private window(
    scope: string,
    spec: WindowSpec,
    adds: WindowAdd[],
    closeUntil: number | null,
  ): { fired: WindowHit[]; late: number } {
    let s = this.windowScopes.get(scope);
    if (!s) {
      s = { windows: new Map(), byEnd: new Map(), open: new Map(), closed: new Map() };
      this.windowScopes.set(scope, s);
    }
    const fired: WindowHit[] = [];
    let late = 0;
    const touched: WindowState[] = [];
    const touchedSet = new Set<WindowState>();
    // windows whose firing batch is being redelivered (see window-1.lua "Replay")
    const replays = new Set<WindowState>();
    for (const add of adds) {
      for (const start of windowStarts(add.time, spec.timespanMs, spec.hopMs)) {
        const key = `${add.group}${SEP}${start}`;
        if ((closeUntil !== null && start + spec.timespanMs <= closeUntil) || s.closed.has(key)) {
          late++;
          continue;
        }
        let w = s.windows.get(key);
        if (!w) {
          w = { group: add.group, start, entries: new Map(), distinct: new Set(), evidence: [], last: -1, fired: false };
          s.windows.set(key, w);
          const end = start + spec.timespanMs;
          let keys = s.byEnd.get(end);
          if (!keys) s.byEnd.set(end, (keys = new Set()));
          keys.add(key);
        }
        if (w.entries.has(add.eventId)) {
          if (w.emitted && w.trigger === add.eventId) replays.add(w);
          continue;
        }
        w.entries.set(add.eventId, { time: add.time, ruleIndex: add.ruleIndex ?? -1, num: add.num });
        w.lastNewId = add.eventId;
        if (spec.metric === 'distinct') w.distinct.add(add.value ?? '');
        else if (spec.metric === 'rules') w.distinct.add(String(add.ruleIndex ?? ''));
        if (w.evidence.length < EVIDENCE_CAP) w.evidence.push(add.eventId);
        if (add.time > w.last) w.last = add.time;
        if (!touchedSet.has(w)) {
          touchedSet.add(w);
          touched.push(w);
        }
      }
    }
    for (const w of touched) {
      const key = `${w.group}${SEP}${w.start}`;
      if (spec.eager) {
        if (w.fired) continue;
        const v = this.measure(spec, w);
        if (windowConditionHolds(spec.condition, spec.ruleCount, v)) {
          const hit = this.hit(scope, spec, w, v);
          w.fired = true;
          w.emitted = !hit.suppressed;
          w.trigger = w.lastNewId;
          fired.push(hit);
        }
      } else if (!s.open.has(key)) {
        s.open.set(key, w.start + spec.timespanMs);
      }
    }
    if (spec.eager) {
      for (const w of replays) fired.push(this.hit(scope, spec, w, this.measure(spec, w), false));
    }
    if (closeUntil !== null) {
      const dueEnds = [...s.byEnd.keys()].filter((end) => end <= closeUntil).sort((a, b) => a - b);
      for (const end of dueEnds) {
        const keys = [...s.byEnd.get(end)!].sort();
        for (const key of keys) {
          const w = s.windows.get(key);
          if (s.open.has(key)) {
            if (w && w.entries.size > 0) {
              const v = this.measure(spec, w);
              if (windowConditionHolds(spec.condition, spec.ruleCount, v)) fired.push(this.hit(scope, spec, w, v));
            }
            s.open.delete(key);
            s.closed.set(key, end);
          }
          // bounded memory: every window past the watermark goes (eager ones fired already)
          s.windows.delete(key);
        }
        s.byEnd.delete(end);
      }
      for (const [key, end] of s.closed) if (end < closeUntil - 2 * spec.timespanMs) s.closed.delete(key);
    }
    return { fired, late };
  }

  private measure(spec: WindowSpec, w: WindowState): number {
    return measureWindow(spec.metric, w.entries.values(), w.entries.size, w.distinct.size, spec.percentile);
  }

  private hit(scope: string, spec: WindowSpec, w: WindowState, v: number, forceSuppressed?: boolean): WindowHit {
    const end = w.start + spec.timespanMs;
    const hit: WindowHit = {
      group: w.group,
      start: w.start,
      end,
      count: w.entries.size,
      metric: v,
      eventIds: [...w.evidence],
      lastTime: w.last,
      suppressed: forceSuppressed ?? this.suppressed(scope, w.group, end, spec.suppressMs),
    };
    if (spec.metric === 'distinct') hit.distinct = [...w.distinct].slice(0, EVIDENCE_CAP);
    return hit;
  }

  private series(scope: string): SeriesScope {
    let s = this.seriesScopes.get(scope);
    if (!s) {
      s = {
        first: null,
        lastClosed: null,
        maxTime: null,
        groups: new Map(),
        counts: new Map(),
        ids: new Map(),
        evidence: new Map(),
        stats: new Map(),
      };
      this.seriesScopes.set(scope, s);
    }
    return s;
  }

  private seriesAdd(scope: string, spec: SeriesSpec, adds: SeriesAdd[]): number {
    const s = this.series(scope);
    let accepted = 0;
    for (const add of adds) {
      const b = Math.floor(add.time / spec.timespanMs) * spec.timespanMs;
      if (s.lastClosed !== null && b <= s.lastClosed) continue;
      const bk = `${b}${SEP}${add.group}`;
      let ids = s.ids.get(bk);
      if (!ids) s.ids.set(bk, (ids = new Set()));
      if (ids.has(add.eventId)) continue;
      ids.add(add.eventId);
      accepted++;
      let ev = s.evidence.get(bk);
      if (!ev) s.evidence.set(bk, (ev = []));
      if (ev.length < EVIDENCE_CAP) ev.push(add.eventId);
      let counts = s.counts.get(add.group);
      if (!counts) s.counts.set(add.group, (counts = new Map()));
      counts.set(b, (counts.get(b) ?? 0) + 1);
      const seen = s.groups.get(add.group);
      if (seen === undefined || b > seen) s.groups.set(add.group, b);
      if (s.first === null || b < s.first) s.first = b;
      if (s.maxTime === null || add.time > s.maxTime) s.maxTime = add.time;
    }
    return accepted;
  }

  async seriesInfo(scope: string): Promise<SeriesInfo> {
    const s = this.seriesScopes.get(scope);
    return { firstBucket: s?.first ?? null, lastClosed: s?.lastClosed ?? null, maxTime: s?.maxTime ?? null };
  }

  async seriesClose(scope: string, spec: SeriesSpec, buckets: BucketToClose[]): Promise<SeriesHit[]> {
    const s = this.series(scope);
    const span = spec.timespanMs;
    const retention = seriesRetentionMs(spec);
    const out: SeriesHit[] = [];
    for (const { start: b, slot } of buckets) {
      for (const [group, seen] of [...s.groups]) {
        const counts = s.counts.get(group) ?? new Map<number, number>();
        const bk = `${b}${SEP}${group}`;
        const c = counts.get(b) ?? 0;
        let fire = false;
        let mean = 0;
        let sd = 0;
        let score = 0;
        if (spec.mode === 'rate') {
          let sum = 0;
          for (let k = 1; k <= spec.previous; k++) sum += counts.get(b - k * span) ?? 0;
          mean = sum / spec.previous;
          score = mean === 0 ? (c > 0 ? Infinity : 0) : ((c - mean) / mean) * 100;
          const learned = s.first !== null && s.first <= b - spec.previous * span;
          fire = learned && c >= spec.minCount && spec.condition !== undefined && conditionHolds(spec.condition, score);
          counts.delete(b - spec.previous * span);
        } else {
          let stats = s.stats.get(group);
          if (!stats) s.stats.set(group, (stats = new Map()));
          const st = stats.get(slot) ?? { n: 0, sum: 0, sq: 0 };
          if (st.n > 0) {
            mean = st.sum / st.n;
            sd = Math.sqrt(Math.max(0, st.sq / st.n - mean * mean));
          }
          score = mean + spec.sigma * sd;
          const learned = s.first !== null && s.first <= b - spec.learningMs && st.n > 0;
          fire = learned && c >= spec.minCount && c > score;
          stats.set(slot, { n: st.n + 1, sum: st.sum + c, sq: st.sq + c * c });
          counts.delete(b);
        }
        if (fire) {
          out.push({
            group,
            start: b,
            end: b + span,
            count: c,
            eventIds: [...(s.evidence.get(bk) ?? [])],
            mean,
            stddev: sd,
            score,
            suppressed: this.suppressed(scope, group, b + span, spec.suppressMs),
          });
        }
        s.ids.delete(bk);
        s.evidence.delete(bk);
        if (seen < b - retention) {
          s.groups.delete(group);
          s.counts.delete(group);
          s.stats.delete(group);
        }
      }
      s.lastClosed = b;
    }
    return out;
  }

  private novelty(scope: string, spec: NoveltySpec, adds: NoveltyAdd[], finalizeUntil: number | null): NoveltyHit[] {
    let s = this.noveltyScopes.get(scope);
    if (!s) this.noveltyScopes.set(scope, (s = { groups: new Map(), pending: new Map(), maxTime: -Infinity, lastPrune: -Infinity }));
    const member = (group: string, value: string, t: number, id: string): string =>
      `${group}${SEP}${value}${SEP}${t}${SEP}${id}`;
    const addPending = (group: string, value: string, t: number, id: string): void => {
      s.pending.set(member(group, value, t, id), { group, value, time: t, id });
    };
    for (const { group, value, eventId: id, time: t } of adds) {
      if (t > s.maxTime) s.maxTime = t;
      let g = s.groups.get(group);
      if (!g) s.groups.set(group, (g = { first: t, values: new Map() }));
      if (t < g.first) g.first = t;
      const rec = g.values.get(value);
      if (!rec) {
        g.values.set(value, { first: t, last: t, fid: id });
        addPending(group, value, t, id);
      } else if (t > rec.last + spec.lookbackMs) {
        g.values.set(value, { first: t, last: t, fid: id });
        addPending(group, value, t, id);
      } else if (t < rec.first) {
        if (t >= rec.first - spec.lookbackMs) {
          s.pending.delete(member(group, value, rec.first, rec.fid));
          g.values.set(value, { first: t, last: rec.last, fid: id });
          addPending(group, value, t, id);
        }
      } else if (t > rec.last + spec.lookbackMs / 1000) {
        rec.last = t; // as the Redis script: `last` is kept to 1/1000 of the lookback
      }
    }
    const out: NoveltyHit[] = [];
    if (finalizeUntil !== null) {
      const due = [...s.pending].filter(([, p]) => p.time <= finalizeUntil);
      due.sort((a, b) => (a[1].time === b[1].time ? (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0) : a[1].time - b[1].time));
      for (const [key, p] of due) {
        const g = s.groups.get(p.group);
        if (g && p.time - g.first >= spec.learningMs) {
          out.push({
            group: p.group,
            value: p.value,
            time: p.time,
            eventId: p.id,
            groupFirstSeen: g.first,
            suppressed: this.suppressed(scope, p.group, p.time, spec.suppressMs),
          });
        }
        s.pending.delete(key);
      }
      // bounded memory: values not seen within the lookback (plus lateness) are forgotten
      const horizon = finalizeUntil - spec.lookbackMs - spec.latenessMs;
      if (Number.isFinite(horizon) && finalizeUntil - s.lastPrune >= spec.lookbackMs / 10) {
        s.lastPrune = finalizeUntil;
        for (const [group, g] of s.groups) {
          for (const [value, rec] of g.values) if (rec.last < horizon) g.values.delete(value);
          if (g.values.size === 0) s.groups.delete(group);
        }
      }
    }
    return out;
  }
}

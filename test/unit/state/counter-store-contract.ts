/**
 * The CounterStore contract: one suite, run unchanged on MemoryCounterStore (test/unit/state) and on
 * RedisCounterStore against a real Redis (test/integration/state).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CounterStore, NoveltySpec, SeriesSpec, StoreOp, WindowAdd, WindowHit, WindowSpec } from '../../../src/state/types.js';

const MIN = 60_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 4, 6, 12, 0, 0); // a multiple of every window used here

function spec(over: Partial<WindowSpec>): WindowSpec {
  return {
    metric: 'count',
    timespanMs: 10 * MIN,
    hopMs: 5 * MIN,
    latenessMs: 10 * MIN,
    condition: { gte: 5 },
    ruleCount: 1,
    eager: true,
    suppressMs: 0,
    ...over,
  };
}

function adds(n: number, from: number, stepMs: number, over: Partial<WindowAdd> = {}, idPrefix = 'e'): WindowAdd[] {
  return Array.from({ length: n }, (_, i) => ({ group: 'alice', eventId: `${idPrefix}${i}`, time: from + i * stepMs, ...over }));
}

async function windowOp(store: CounterStore, scope: string, s: WindowSpec, a: WindowAdd[], closeUntil: number | null = null) {
  const [r] = await store.execute([{ kind: 'window', scope, spec: s, adds: a, closeUntil }]);
  if (r?.kind !== 'window') throw new Error('expected a window result');
  return r;
}

const key = (h: WindowHit) => `${h.group}|${h.start}|${h.end}`;

export function counterStoreContract(name: string, makeStore: () => Promise<CounterStore>, scopeOf: (s: string) => string): void {
  describe(`CounterStore contract: ${name}`, () => {
    let store: CounterStore;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    it('fires an eager event_count window once, when the threshold is crossed, with evidence', async () => {
      const scope = scopeOf('count');
      const s = spec({});
      const r1 = await windowOp(store, scope, s, adds(4, T0 + MIN, 1000));
      expect(r1.fired).toEqual([]);
      const r2 = await windowOp(store, scope, s, adds(2, T0 + MIN + 10_000, 1000, {}, 'f'));
      // the events sit in window [T0, T0+10m) and [T0-5m, T0+5m): both cross 5
      expect(r2.fired.map(key).sort()).toEqual([`alice|${T0 - 5 * MIN}|${T0 + 5 * MIN}`, `alice|${T0}|${T0 + 10 * MIN}`].sort());
      const hit = r2.fired.find((h) => h.start === T0)!;
      expect(hit.count).toBe(6);
      expect(hit.metric).toBe(6);
      expect(hit.eventIds).toHaveLength(6);
      expect(hit.lastTime).toBe(T0 + MIN + 11_000);
      expect(hit.suppressed).toBe(false);
      const r3 = await windowOp(store, scope, s, adds(3, T0 + 2 * MIN, 1000, {}, 'g'));
      expect(r3.fired).toEqual([]);
    });

    it('is idempotent by event id: a redelivered batch changes nothing', async () => {
      const scope = scopeOf('idem');
      const s = spec({});
      const batch = adds(4, T0 + MIN, 1000);
      await windowOp(store, scope, s, batch);
      expect((await windowOp(store, scope, s, batch)).fired).toEqual([]);
      expect((await windowOp(store, scope, s, batch)).fired).toEqual([]);
      const r = await windowOp(store, scope, s, adds(1, T0 + 3 * MIN, 1000, {}, 'new'));
      expect(r.fired.find((h) => h.start === T0)?.count).toBe(5);
    });

    it('replays a fire when the batch that fired it is redelivered (a worker died before delivering it)', async () => {
      const scope = scopeOf('replay');
      const s = spec({ suppressMs: HOUR });
      const before = adds(4, T0 + MIN, 1000);
      const firing = adds(2, T0 + MIN + 10_000, 1000, {}, 'f');
      await windowOp(store, scope, s, before);
      const first = await windowOp(store, scope, s, firing);
      const fired = first.fired.filter((h) => !h.suppressed).map(key).sort();
      expect(fired.length).toBeGreaterThan(0);
      // the uncommitted tail is read again, cut differently: the same windows fire again, not suppressed, same evidence
      const again = await windowOp(store, scope, s, [...firing.slice(1), ...adds(1, T0 + 3 * MIN, 1000, {}, 'later')]);
      const replayed = again.fired.filter((h) => !h.suppressed);
      expect(replayed.map(key).sort()).toEqual(fired);
      for (const h of replayed) expect(h.eventIds).toEqual(expect.arrayContaining(first.fired.find((x) => key(x) === key(h))!.eventIds));
      // redelivering an earlier batch, or new events in the fired window, fire nothing
      expect((await windowOp(store, scope, s, before)).fired).toEqual([]);
      expect((await windowOp(store, scope, s, adds(2, T0 + 4 * MIN, 1000, {}, 'new'))).fired.filter((h) => !h.suppressed)).toEqual([]);
    });

    it('counts an event id once within a batch and across differently cut redeliveries', async () => {
      const scope = scopeOf('idem-cut');
      const s = spec({ metric: 'distinct', condition: { gte: 3 } });
      const a = adds(6, T0 + MIN, 1000).map((x, i) => ({ ...x, value: `ip${i % 2}` }));
      // the same ids twice in one batch, then redelivered in other cuts
      const r1 = await windowOp(store, scope, s, [...a.slice(0, 3), ...a.slice(0, 3)]);
      expect(r1.fired).toEqual([]);
      await windowOp(store, scope, s, a.slice(1, 5));
      await windowOp(store, scope, s, a);
      const r = await windowOp(store, scope, s, [{ group: 'alice', eventId: 'n1', time: T0 + 2 * MIN, value: 'ip9' }]);
      const hit = r.fired.find((h) => h.start === T0)!;
      expect(hit.count).toBe(7);
      expect(hit.metric).toBe(3);
      expect(hit.distinct!.sort()).toEqual(['ip0', 'ip1', 'ip9']);
      expect(hit.eventIds).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'n1']);
    });

    it('handles thousands of adds to one window in one batch, evidence capped at 50 in arrival order', async () => {
      const scope = scopeOf('big');
      const s = spec({ metric: 'distinct', condition: { gte: 2500 } });
      const a = adds(3000, T0 + MIN, 10).map((x, i) => ({ ...x, value: `v${i}` }));
      const r = await windowOp(store, scope, s, a);
      const hit = r.fired.find((h) => h.start === T0)!;
      expect(hit.count).toBe(3000);
      expect(hit.metric).toBe(3000);
      expect(hit.eventIds).toEqual(a.slice(0, 50).map((x) => x.eventId));
      expect(hit.distinct).toHaveLength(50);
      // the firing batch redelivered: the same fire again (see the replay test), nothing counted twice
      const again = await windowOp(store, scope, s, a);
      expect(again.fired.map(key).sort()).toEqual(r.fired.map(key).sort());
      expect(again.fired.find((h) => h.start === T0)!.count).toBe(3000);
    });

    it('rate_change: a batch of many groups and buckets counts each event once, evidence in arrival order', async () => {
      const scope = scopeOf('rate-mix');
      const s: SeriesSpec = { mode: 'rate', timespanMs: HOUR, latenessMs: 10 * MIN, previous: 1, condition: { gte: 50 }, minCount: 1, sigma: 3, learningMs: 0, suppressMs: 0 };
      const a = Array.from({ length: 120 }, (_, i) => ({ group: `app${i % 3}`, eventId: `m${i}`, time: T0 + (i % 4 === 0 ? 0 : HOUR) + i }));
      const [r] = await store.execute([{ kind: 'series-add', scope, spec: s, adds: [...a, ...a.slice(0, 10)] }]);
      expect(r).toEqual({ kind: 'series-add', accepted: 120 });
      const [again] = await store.execute([{ kind: 'series-add', scope, spec: s, adds: a.slice(5, 60) }]);
      expect(again).toEqual({ kind: 'series-add', accepted: 0 });
      expect(await store.seriesInfo(scope)).toEqual({ firstBucket: T0, lastClosed: null, maxTime: T0 + HOUR + 119 });
      // app1: 10 events in the first bucket, then 30: +200%
      const hits = await store.seriesClose(scope, s, [{ start: T0, slot: 0 }, { start: T0 + HOUR, slot: 0 }]);
      const h = hits.find((x) => x.group === 'app1' && x.start === T0 + HOUR)!;
      expect(h.count).toBe(30);
      expect(h.score).toBe(200);
      expect(h.eventIds).toEqual(a.filter((x) => x.group === 'app1' && x.time >= T0 + HOUR).map((x) => x.eventId));
    });

    it('catches a burst split across a window boundary (hopping windows)', async () => {
      const scope = scopeOf('burst');
      const s = spec({});
      // 3 events just before T0+10m and 3 just after: no fixed 10m window [T0, T0+10m) holds 5
      const a = [...adds(3, T0 + 10 * MIN - 30_000, 5000), ...adds(3, T0 + 10 * MIN + 1000, 5000, {}, 'x')];
      const r = await windowOp(store, scope, s, a);
      expect(r.fired.map((h) => h.start)).toEqual([T0 + 5 * MIN]);
      expect(r.fired[0]!.count).toBe(6);
    });

    it('counts distinct values (value_count) and reports them', async () => {
      const scope = scopeOf('distinct');
      const s = spec({ metric: 'distinct', condition: { gte: 3 }, hopMs: 10 * MIN });
      const a = ['u1', 'u1', 'u2', 'u2', 'u3'].map((v, i) => ({ group: 'ip1', eventId: `d${i}`, time: T0 + i * 1000, value: v }));
      const r = await windowOp(store, scope, s, a);
      expect(r.fired).toHaveLength(1);
      expect(r.fired[0]!.metric).toBe(3);
      expect(r.fired[0]!.count).toBe(5);
      expect([...r.fired[0]!.distinct!].sort()).toEqual(['u1', 'u2', 'u3']);
    });

    it('evaluates close-time conditions (ranges, lt) only when the window closes; later adds are late', async () => {
      const scope = scopeOf('close');
      const s = spec({ eager: false, condition: { gt: 1, lte: 3 }, hopMs: 10 * MIN });
      const r1 = await windowOp(store, scope, s, adds(3, T0 + MIN, 1000));
      expect(r1.fired).toEqual([]);
      const r2 = await windowOp(store, scope, s, [], T0 + 10 * MIN);
      expect(r2.fired.map(key)).toEqual([`alice|${T0}|${T0 + 10 * MIN}`]);
      expect(r2.fired[0]!.metric).toBe(3);
      const r3 = await windowOp(store, scope, s, adds(1, T0 + 2 * MIN, 1000, {}, 'late'));
      expect(r3.late).toBe(1);
      expect((await windowOp(store, scope, s, [], T0 + 20 * MIN)).fired).toEqual([]);
      // a window outside the range does not fire
      const s2 = spec({ eager: false, condition: { lt: 2 }, hopMs: 10 * MIN });
      const scope2 = scopeOf('close2');
      await windowOp(store, scope2, s2, adds(2, T0 + MIN, 1000));
      expect((await windowOp(store, scope2, s2, [], T0 + 10 * MIN)).fired).toEqual([]);
    });

    it('computes value_sum, value_avg and value_percentile at close', async () => {
      const nums = [1, 2, 3, 4, 100];
      const a = nums.map((n, i) => ({ group: 'g', eventId: `n${i}`, time: T0 + i * 1000, num: n }));
      const cases: Array<[WindowSpec['metric'], number]> = [
        ['sum', 110],
        ['avg', 22],
        ['percentile', 100],
      ];
      for (const [metric, expected] of cases) {
        const scope = scopeOf(`num-${metric}`);
        const s = spec({ metric, eager: false, condition: { gte: 0 }, hopMs: 10 * MIN, percentile: 95 });
        await windowOp(store, scope, s, a);
        const r = await windowOp(store, scope, s, [], Number.POSITIVE_INFINITY);
        expect(r.fired.map((h) => h.metric)).toEqual([expected]);
      }
    });

    it('temporal: fires when every rule was seen; temporal_ordered only in order of event time', async () => {
      const temporal = spec({ metric: 'rules', condition: undefined, ruleCount: 2, hopMs: 10 * MIN });
      const r1 = await windowOp(store, scopeOf('temporal'), temporal, [
        { group: 'bob', eventId: 'b', time: T0 + 1000, ruleIndex: 1 },
        { group: 'bob', eventId: 'a', time: T0 + 2000, ruleIndex: 0 },
      ]);
      expect(r1.fired).toHaveLength(1);
      const ordered = spec({ metric: 'sequence', condition: undefined, ruleCount: 2, hopMs: 10 * MIN });
      const scope = scopeOf('ordered');
      // success (rule 1) before failure (rule 0): not in order
      const r2 = await windowOp(store, scope, ordered, [
        { group: 'bob', eventId: 's1', time: T0 + 1000, ruleIndex: 1 },
        { group: 'bob', eventId: 'f1', time: T0 + 2000, ruleIndex: 0 },
      ]);
      expect(r2.fired).toEqual([]);
      // a later success, delivered before an even earlier failure: in order by event time
      const r3 = await windowOp(store, scope, ordered, [{ group: 'bob', eventId: 's2', time: T0 + 3000, ruleIndex: 1 }]);
      expect(r3.fired).toHaveLength(1);
      expect(r3.fired[0]!.metric).toBe(2);
    });

    it('suppresses a second fire for the same group within the period', async () => {
      const scope = scopeOf('suppress');
      const s = spec({ hopMs: 10 * MIN, condition: { gte: 2 }, suppressMs: HOUR });
      const r1 = await windowOp(store, scope, s, adds(2, T0 + MIN, 1000));
      const r2 = await windowOp(store, scope, s, adds(2, T0 + 20 * MIN, 1000, {}, 'later'));
      const r3 = await windowOp(store, scope, s, adds(2, T0 + 3 * HOUR, 1000, {}, 'much-later'));
      expect([r1, r2, r3].map((r) => r.fired.map((h) => h.suppressed))).toEqual([[false], [true], [false]]);
      const ops: StoreOp[] = [
        { kind: 'suppress', scope: scopeOf('single'), group: 'alice', time: T0, periodMs: HOUR },
        { kind: 'suppress', scope: scopeOf('single'), group: 'alice', time: T0 + MIN, periodMs: HOUR },
        { kind: 'suppress', scope: scopeOf('single'), group: 'bob', time: T0 + MIN, periodMs: HOUR },
      ];
      const res = await store.execute(ops);
      expect(res.map((r) => (r.kind === 'suppress' ? r.suppressed : null))).toEqual([false, true, false]);
    });

    it('gives the same windows whatever the order of the adds', async () => {
      const s = spec({ condition: { gte: 4 } });
      const base: WindowAdd[] = [];
      for (let i = 0; i < 60; i++) base.push({ group: `u${i % 3}`, eventId: `s${i}`, time: T0 + ((i * 7919) % 3600) * 1000 });
      const shuffled = [...base].sort((a, b) => (a.eventId.length - b.eventId.length) || (a.eventId < b.eventId ? 1 : -1));
      const fired1 = (await windowOp(store, scopeOf('order-a'), s, base)).fired.map(key).sort();
      const fired2: string[] = [];
      for (let i = 0; i < shuffled.length; i += 7) {
        fired2.push(...(await windowOp(store, scopeOf('order-b'), s, shuffled.slice(i, i + 7))).fired.map(key));
      }
      expect(fired2.sort()).toEqual(fired1);
      expect(fired1.length).toBeGreaterThan(0);
    });

    it('rate_change: silent while learning, fires on a rise against the previous buckets, idempotent', async () => {
      const scope = scopeOf('rate');
      const s: SeriesSpec = { mode: 'rate', timespanMs: HOUR, latenessMs: 10 * MIN, previous: 3, condition: { gte: 50 }, minCount: 5, sigma: 3, learningMs: 0, suppressMs: 0 };
      const counts = [4, 4, 4, 10, 5];
      for (let b = 0; b < counts.length; b++) {
        const a = Array.from({ length: counts[b]! }, (_, i) => ({ group: 'app1', eventId: `r${b}-${i}`, time: T0 + b * HOUR + i * 1000 }));
        const [r] = await store.execute([{ kind: 'series-add', scope, spec: s, adds: a }]);
        expect(r).toEqual({ kind: 'series-add', accepted: counts[b] });
        const [again] = await store.execute([{ kind: 'series-add', scope, spec: s, adds: a }]);
        expect(again).toEqual({ kind: 'series-add', accepted: 0 });
      }
      expect(await store.seriesInfo(scope)).toEqual({ firstBucket: T0, lastClosed: null, maxTime: T0 + 4 * HOUR + 4000 });
      const hits = await store.seriesClose(scope, s, counts.map((_, b) => ({ start: T0 + b * HOUR, slot: 0 })));
      expect(hits.map((h) => [h.start, h.count, h.mean, h.score])).toEqual([[T0 + 3 * HOUR, 10, 4, 150]]);
      expect(hits[0]!.eventIds).toHaveLength(10);
      expect((await store.seriesInfo(scope)).lastClosed).toBe(T0 + 4 * HOUR);
      const [late] = await store.execute([{ kind: 'series-add', scope, spec: s, adds: [{ group: 'app1', eventId: 'late', time: T0 + HOUR }] }]);
      expect(late).toEqual({ kind: 'series-add', accepted: 0 });
    });

    it('baseline: learns per slot, fires above mean + sigma * stddev, zero-fills quiet groups', async () => {
      const scope = scopeOf('baseline');
      const s: SeriesSpec = { mode: 'baseline', timespanMs: HOUR, latenessMs: 0, previous: 1, minCount: 3, sigma: 2, learningMs: 2 * HOUR, suppressMs: 0 };
      const week = [5, 6, 5, 40]; // same slot each time (slot 7)
      const hits = [];
      for (let k = 0; k < week.length; k++) {
        const start = T0 + k * HOUR;
        const a = Array.from({ length: week[k]! }, (_, i) => ({ group: 'app', eventId: `b${k}-${i}`, time: start + i }));
        a.push({ group: 'quiet', eventId: `q${k}`, time: start }); // 'quiet' has one event per bucket
        await store.execute([{ kind: 'series-add', scope, spec: s, adds: a }]);
        hits.push(...(await store.seriesClose(scope, s, [{ start, slot: 7 }])));
      }
      expect(hits.map((h) => [h.group, h.count])).toEqual([['app', 40]]);
      expect(hits[0]!.mean).toBeCloseTo(16 / 3, 6);
      expect(hits[0]!.score).toBeGreaterThan(hits[0]!.mean);
    });

    it('first_seen: fires for a new value after learning, order-independent within the lateness', async () => {
      const scope = scopeOf('novelty');
      const s: NoveltySpec = { lookbackMs: 24 * HOUR, learningMs: HOUR, latenessMs: 10 * MIN, suppressMs: 0 };
      const op = (a: Array<[string, string, number]>, until: number | null): StoreOp => ({
        kind: 'novelty',
        scope,
        spec: s,
        adds: a.map(([value, id, t]) => ({ group: 'carol', value, eventId: id, time: t })),
        finalizeUntil: until,
      });
      const r1 = await store.execute([op([['FR', 'n1', T0], ['FR', 'n2', T0 + 30 * MIN]], T0 + 30 * MIN)]);
      expect(r1[0]).toEqual({ kind: 'novelty', fired: [] }); // learning
      // DE first seen at T0+2h05 but delivered after a later DE event; FR already known
      const r2 = await store.execute([op([['DE', 'n4', T0 + 2 * HOUR + 9 * MIN], ['FR', 'n5', T0 + 2 * HOUR]], null)]);
      expect(r2[0]).toEqual({ kind: 'novelty', fired: [] });
      const r3 = await store.execute([op([['DE', 'n3', T0 + 2 * HOUR + 5 * MIN]], T0 + 3 * HOUR)]);
      expect(r3[0]).toEqual({
        kind: 'novelty',
        fired: [{ group: 'carol', value: 'DE', time: T0 + 2 * HOUR + 5 * MIN, eventId: 'n3', groupFirstSeen: T0, suppressed: false }],
      });
      // seen again within the lookback: nothing; after the lookback: new again
      const r4 = await store.execute([op([['DE', 'n6', T0 + 20 * HOUR], ['DE', 'n7', T0 + 50 * HOUR]], T0 + 60 * HOUR)]);
      expect(r4[0]!.kind === 'novelty' && r4[0]!.fired.map((h) => h.eventId)).toEqual(['n7']);
    });
  });
}

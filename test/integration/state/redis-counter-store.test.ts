/**
 * RedisCounterStore against the real redis-server: the shared contract suite, plus one round trip per batch,
 * hash-tagged keys under the configured prefix, TTLs on every key.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCounterStore } from '../../../src/state/redis/redis-counter-store.js';
import type { StoreOp } from '../../../src/state/types.js';
import { testRedisUrl, uniqueName } from '../../support/services.js';
import { counterStoreContract } from '../../unit/state/counter-store-contract.js';

const prefix = `${uniqueName('ew-state')}:`;

counterStoreContract(
  'redis',
  async () => RedisCounterStore.connect(testRedisUrl(), prefix),
  (s) => s,
);

describe('RedisCounterStore specifics', () => {
  let client: Redis;
  let admin: Redis;
  beforeAll(async () => {
    client = new Redis(testRedisUrl());
    admin = new Redis(testRedisUrl());
  });
  afterAll(async () => {
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length) await admin.del(...keys);
    client.disconnect();
    admin.disconnect();
  });

  it('does all counter work of a batch in ONE round trip (one socket write), whatever the number of ops', async () => {
    const store = new RedisCounterStore({ client, keyPrefix: prefix });
    await store.loadScripts();
    const stream = (client as unknown as { stream: { write: (...a: unknown[]) => boolean } }).stream;
    const original = stream.write.bind(stream);
    let writes = 0;
    stream.write = (...a: unknown[]) => {
      writes++;
      return original(...a);
    };
    try {
      const t0 = Date.UTC(2024, 0, 1);
      const spec = { metric: 'count' as const, timespanMs: 600_000, hopMs: 300_000, latenessMs: 0, condition: { gte: 3 }, ruleCount: 1, eager: true, suppressMs: 0 };
      for (let batch = 0; batch < 3; batch++) {
        const ops: StoreOp[] = [];
        for (let c = 0; c < 20; c++) {
          ops.push({
            kind: 'window',
            scope: `rt-${c}`,
            spec,
            adds: Array.from({ length: 25 }, (_, i) => ({ group: `u${i % 5}`, eventId: `${batch}-${i}`, time: t0 + i * 1000 })),
            closeUntil: t0 - 600_000,
          });
        }
        ops.push({ kind: 'series-add', scope: 'rt-rate', spec: { mode: 'rate', timespanMs: 3_600_000, latenessMs: 0, previous: 2, condition: { gte: 10 }, minCount: 1, sigma: 3, learningMs: 0, suppressMs: 0 }, adds: [{ group: 'a', eventId: `s${batch}`, time: t0 }] });
        ops.push({ kind: 'novelty', scope: 'rt-new', spec: { lookbackMs: 86_400_000, learningMs: 0, latenessMs: 0, suppressMs: 0 }, adds: [{ group: 'a', value: 'FR', eventId: `n${batch}`, time: t0 }], finalizeUntil: t0 });
        ops.push({ kind: 'suppress', scope: 'rt-single', group: 'a', time: t0, periodMs: 1000 });
        const before = writes;
        const results = await store.execute(ops);
        expect(results).toHaveLength(ops.length);
        expect(writes - before).toBe(1);
      }
    } finally {
      stream.write = original;
    }
  });

  it('keeps keys under the prefix with a hash tag per correlation, every one with a TTL', async () => {
    const store = new RedisCounterStore({ client, keyPrefix: prefix });
    const t0 = Date.UTC(2024, 0, 1);
    await store.execute([
      {
        kind: 'window',
        scope: 'ttl-check',
        spec: { metric: 'distinct', timespanMs: 600_000, hopMs: 300_000, latenessMs: 60_000, condition: { gte: 100 }, ruleCount: 1, eager: true, suppressMs: 0 },
        adds: [{ group: 'u', eventId: 'x', time: t0, value: 'v' }],
        closeUntil: null,
      },
    ]);
    const keys = await admin.keys(`${prefix}{ttl-check}*`);
    expect(keys.length).toBe(2); // one hash per window: the two windows holding the event
    for (const k of keys) {
      const ttl = await admin.pttl(k);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(600_000 + 60_000 + 300_000);
    }
  });

  it('recovers from a script cache flush (NOSCRIPT) by reloading, without double counting', async () => {
    const store = new RedisCounterStore({ client, keyPrefix: prefix });
    const t0 = Date.UTC(2024, 0, 1);
    const spec = { metric: 'count' as const, timespanMs: 600_000, hopMs: 600_000, latenessMs: 0, condition: { gte: 2 }, ruleCount: 1, eager: true, suppressMs: 0 };
    await store.execute([{ kind: 'window', scope: 'flush', spec, adds: [{ group: 'g', eventId: 'a', time: t0 }], closeUntil: null }]);
    await admin.script('FLUSH');
    const [r] = await store.execute([{ kind: 'window', scope: 'flush', spec, adds: [{ group: 'g', eventId: 'a', time: t0 }, { group: 'g', eventId: 'b', time: t0 }], closeUntil: null }]);
    expect(r?.kind === 'window' && r.fired.map((h) => h.count)).toEqual([2]);
  });
});

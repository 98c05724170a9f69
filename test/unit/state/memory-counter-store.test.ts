import { describe, expect, it } from 'vitest';
import { MemoryCounterStore } from '../../../src/state/memory/memory-counter-store.js';
import { counterStoreContract } from './counter-store-contract.js';

counterStoreContract('memory', async () => new MemoryCounterStore(), (s) => s);

describe('MemoryCounterStore memory bound', () => {
  it('drops windows once the watermark has passed them', async () => {
    const store = new MemoryCounterStore();
    const spec = { metric: 'count' as const, timespanMs: 600_000, hopMs: 300_000, latenessMs: 0, condition: { gte: 1000 }, ruleCount: 1, eager: true, suppressMs: 0 };
    for (let h = 0; h < 48; h++) {
      const t = h * 3_600_000;
      const adds = Array.from({ length: 20 }, (_, i) => ({ group: `g${i}`, eventId: `${h}-${i}`, time: t }));
      await store.execute([{ kind: 'window', scope: 'c', spec, adds, closeUntil: t - 600_000 }]);
    }
    expect(store.size()).toBeLessThanOrEqual(20 * 2 * 2);
  });
});

/** HecBatcher: batches by count, by bytes and by time, keeping each entry's reference. */
import { describe, expect, it, vi } from 'vitest';
import { HecBatcher, type BatchEntry } from '../../../../src/sinks/hec/batcher.js';

const entry = (i: number, bytes = 10): BatchEntry<number> => ({ json: 'x'.repeat(bytes), bytes, ref: i });

describe('HecBatcher', () => {
  it('cuts batches at maxEvents and sends a full batch at once', () => {
    const out: number[][] = [];
    const b = new HecBatcher<number>({ maxEvents: 3, maxBytes: 1e6, flushIntervalMs: 1000 }, (e) => out.push(e.map((x) => x.ref)));
    b.add([0, 1, 2, 3, 4, 5, 6].map((i) => entry(i)));
    expect(out).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(b.pendingEvents).toBe(1);
    b.flush();
    expect(out.at(-1)).toEqual([6]);
  });
  it('keeps each batch within maxBytes (separators counted); an oversized event goes alone', () => {
    const out: number[][] = [];
    const b = new HecBatcher<number>({ maxEvents: 100, maxBytes: 33, flushIntervalMs: 0 }, (e) => out.push(e.map((x) => x.ref)));
    b.add([entry(0), entry(1), entry(2), entry(3, 50), entry(4)]);
    expect(out).toEqual([[0, 1, 2], [3], [4]]);
  });
  it('sends a partial batch after flushIntervalMs, merging several adds', () => {
    vi.useFakeTimers();
    try {
      const out: number[][] = [];
      const b = new HecBatcher<number>({ maxEvents: 100, maxBytes: 1e6, flushIntervalMs: 50 }, (e) => out.push(e.map((x) => x.ref)));
      b.add([entry(0)]);
      vi.advanceTimersByTime(30);
      b.add([entry(1)]);
      expect(out).toEqual([]);
      vi.advanceTimersByTime(25);
      expect(out).toEqual([[0, 1]]);
    } finally {
      vi.useRealTimers();
    }
  });
});

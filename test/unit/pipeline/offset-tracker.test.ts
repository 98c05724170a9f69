import { describe, expect, it } from 'vitest';
import { OffsetTracker, PartitionOffsets } from '../../../src/pipeline/offset-tracker.js';

describe('PartitionOffsets', () => {
  it('commits only up to the lowest offset not yet done', () => {
    const p = new PartitionOffsets('t', 0);
    expect(p.committable()).toBeUndefined();
    for (const o of [10, 11, 12, 13]) p.begin(o);
    expect(p.committable()).toBe(10);
    p.complete(12);
    p.complete(13);
    expect(p.committable()).toBe(10);
    p.complete(10);
    expect(p.committable()).toBe(11);
    p.complete(11);
    expect(p.committable()).toBe(14);
    expect(p.inFlight).toBe(0);
  });

  it('handles gaps in offsets (compaction, transaction markers)', () => {
    const p = new PartitionOffsets('t', 0);
    p.begin(5);
    p.begin(9);
    p.complete(9);
    expect(p.committable()).toBe(5);
    p.complete(5);
    expect(p.committable()).toBe(10);
  });

  it('refuses offsets that go backwards', () => {
    const p = new PartitionOffsets('t', 0);
    p.begin(3);
    expect(() => p.begin(3)).toThrow(/must increase/);
  });

  it('stays correct across internal compaction of its queue', () => {
    const p = new PartitionOffsets('t', 0);
    for (let i = 0; i < 20_000; i++) p.begin(i);
    for (let i = 0; i < 19_999; i++) p.complete(i);
    expect(p.committable()).toBe(19_999);
    p.complete(19_999);
    expect(p.committable()).toBe(20_000);
  });

  it('computes lag from the committed position', () => {
    const p = new PartitionOffsets('t', 0);
    p.highWatermark = 100;
    p.begin(40);
    expect(p.lag()).toBe(60);
    p.committed = 50;
    expect(p.lag()).toBe(50);
  });
});

describe('OffsetTracker', () => {
  it('lists only positions that moved past the last commit', () => {
    const t = new OffsetTracker();
    const a = t.partition('t', 0);
    const b = t.partition('t', 1);
    a.begin(0);
    b.begin(7);
    a.complete(0);
    expect(t.pendingCommits()).toEqual([
      { topic: 't', partition: 0, offset: '1' },
      { topic: 't', partition: 1, offset: '7' },
    ]);
    t.markCommitted(t.pendingCommits());
    expect(t.pendingCommits()).toEqual([]);
    b.complete(7);
    expect(t.pendingCommits()).toEqual([{ topic: 't', partition: 1, offset: '8' }]);
  });

  it('after a reset, work of the old epoch never produces a commit', () => {
    const t = new OffsetTracker();
    const old = t.partition('t', 0);
    old.begin(0);
    old.begin(1);
    const snapshot = t.snapshot();
    t.reset();
    old.complete(0);
    old.complete(1);
    expect(t.pendingCommits()).toEqual([]);
    // a commit sent before the reset does not mark the new epoch's tracker
    const fresh = t.partition('t', 0);
    fresh.begin(0);
    t.markCommitted([{ topic: 't', partition: 0, offset: '2' }], snapshot);
    expect(fresh.committed).toBeUndefined();
    expect(t.epoch).toBe(1);
  });
});

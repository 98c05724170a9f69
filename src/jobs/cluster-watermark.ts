/**
 * The cluster-wide event-time watermark: the greatest event time any worker processed, kept in Redis.
 * Scheduled windows close against it (not the wall clock), so replayed or delayed data closes its windows when
 * the data is in, not before. Workers raise it at most once per `minIntervalMs`, off the per-batch round trip.
 */
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

const RAISE_SCRIPT = readFileSync(new URL('./lua/raise-watermark-1.lua', import.meta.url), 'utf8');

export class ClusterWatermark {
  private pendingMax = -Infinity;
  private lastSent = -Infinity;
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
    private readonly minIntervalMs = 1000,
    private readonly ttlSeconds = 7 * 24 * 3600,
  ) {
    // the hash tag keeps the jobs' keys in one Redis Cluster slot
    this.key = `${keyPrefix}{jobs}:watermark`;
  }

  /** Notes event times of a processed batch; sends the new maximum when due (at most once per minIntervalMs). */
  async observe(maxEventTime: number, now = Date.now()): Promise<void> {
    if (maxEventTime > this.pendingMax) this.pendingMax = maxEventTime;
    if (now - this.lastSent < this.minIntervalMs || !Number.isFinite(this.pendingMax)) return;
    await this.flush(now);
  }

  /** Sends the pending maximum now. */
  async flush(now = Date.now()): Promise<void> {
    if (!Number.isFinite(this.pendingMax)) return;
    this.lastSent = now;
    await this.redis.eval(RAISE_SCRIPT, 1, this.key, String(Math.floor(this.pendingMax)), String(this.ttlSeconds));
  }

  /** The watermark, or null when no worker has reported yet. */
  async read(): Promise<number | null> {
    const v = await this.redis.get(this.key);
    return v === null ? null : Number(v);
  }
}

/**
 * Commits the committable offsets of every partition, at most once per `intervalMs` (Event Hubs allows at most
 * 4 commits per second per partition), in one commit request. Commits never overlap. `halt` stops every further
 * commit at once (fatal sink error); `stop` makes a last commit of what is done and stops.
 */
import type { Logger } from '../observability/logger.js';
import type { WorkerMetrics } from '../observability/metrics.js';
import type { ConsumerClient } from '../sources/kafka/types.js';
import { sleep } from './backoff.js';
import { OffsetTracker } from './offset-tracker.js';

export class OffsetCommitter {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private halted = false;
  private lastCommitAt = 0;

  constructor(
    private readonly consumer: Pick<ConsumerClient, 'commit'>,
    private readonly tracker: OffsetTracker,
    private readonly metrics: WorkerMetrics,
    private readonly logger: Logger,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.timer || this.halted) return;
    this.timer = setInterval(() => {
      if (!this.running) void this.commitNow();
    }, this.intervalMs);
    this.timer.unref();
  }

  /** no commit after this call returns (a commit already sent may still land) */
  halt(): void {
    this.halted = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** commits what is done now (waiting out the interval since the last commit), then stops */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.running) await this.running;
    if (this.halted) return;
    const wait = this.lastCommitAt + this.intervalMs - Date.now();
    if (wait > 0) await sleep(wait);
    await this.commitNow();
    this.halted = true;
  }

  /** one commit of every partition whose committable offset moved; resolves false when it failed */
  commitNow(): Promise<void> {
    if (this.halted) return Promise.resolve();
    if (this.running) return this.running;
    this.running = this.commitOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async commitOnce(): Promise<void> {
    const offsets = this.tracker.pendingCommits();
    if (offsets.length === 0) return;
    const trackers = this.tracker.snapshot();
    this.lastCommitAt = Date.now();
    try {
      await this.consumer.commit(offsets);
    } catch (err) {
      this.metrics.commits.inc({ result: 'error' });
      this.logger.warn({ err, partitions: offsets.length }, 'offset commit failed; will retry at the next interval');
      return;
    }
    this.metrics.commits.inc({ result: 'ok' });
    this.tracker.markCommitted(offsets, trackers);
    for (const o of offsets) {
      const labels = { topic: o.topic, partition: String(o.partition) };
      this.metrics.committedOffset.set(labels, Number(o.offset));
      const p = trackers.get(OffsetTracker.key(o.topic, o.partition));
      const lag = p?.lag();
      if (lag !== undefined) this.metrics.consumerLag.set(labels, lag);
    }
    this.logger.debug({ offsets }, 'offsets committed');
  }
}

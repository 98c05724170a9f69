/**
 * Per-partition offset tracking: which offsets are in the pipeline and which are done (delivered to every sink or
 * dead-lettered). The committable position of a partition is the lowest offset not yet done, or one past the
 * highest offset seen when all are done, so a commit never passes an undelivered message.
 *
 * Offsets are JS numbers (exact up to 2^53, i.e. 9e15 messages per partition).
 * `OffsetTracker.reset` starts a new epoch after a rebalance: the previous partition trackers are dropped, so work
 * of revoked (or re-fetched) partitions that completes later never leads to a commit.
 */
import type { TopicPartition, TopicPartitionOffset } from '../sources/kafka/types.js';

export class PartitionOffsets {
  private pending: number[] = [];
  private head = 0;
  private readonly done = new Set<number>();
  /** highest offset begun, -1 before the first */
  private last = -1;
  /** next offset to read as last committed; undefined before the first commit of this epoch */
  committed: number | undefined;
  /** log end offset, as last seen by a fetch */
  highWatermark: number | undefined;

  constructor(readonly topic: string, readonly partition: number) {}

  /** highest offset begun in this epoch, -1 before the first */
  get lastBegun(): number {
    return this.last;
  }

  /** number of messages begun and not yet done */
  get inFlight(): number {
    return this.pending.length - this.head;
  }

  /** registers a message entering the pipeline; offsets must increase */
  begin(offset: number): void {
    if (offset <= this.last) {
      throw new Error(`offset ${offset} of ${this.topic}[${this.partition}] begun after ${this.last}: offsets must increase`);
    }
    this.pending.push(offset);
    this.last = offset;
  }

  /** marks a message done: every record delivered to every sink or dead-lettered */
  complete(offset: number): void {
    this.done.add(offset);
    while (this.head < this.pending.length && this.done.has(this.pending[this.head])) {
      this.done.delete(this.pending[this.head]);
      this.head++;
    }
    if (this.head > 4096 && this.head * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.head);
      this.head = 0;
    }
  }

  /** next offset to read such that every offset below it is done; undefined when nothing was begun */
  committable(): number | undefined {
    if (this.last < 0) return undefined;
    return this.head < this.pending.length ? this.pending[this.head] : this.last + 1;
  }

  /** messages from the committed position to the log end */
  lag(): number | undefined {
    if (this.highWatermark === undefined) return undefined;
    const position = this.committed ?? this.committable();
    return position === undefined ? undefined : Math.max(0, this.highWatermark - position);
  }
}

export class OffsetTracker {
  private partitions = new Map<string, PartitionOffsets>();
  private epochNumber = 0;

  static key(topic: string, partition: number): string {
    return `${topic}\u0000${partition}`;
  }

  /** incremented by every reset */
  get epoch(): number {
    return this.epochNumber;
  }

  /** the tracker of a partition in the current epoch (created on first use) */
  partition(topic: string, partition: number): PartitionOffsets {
    const key = OffsetTracker.key(topic, partition);
    let p = this.partitions.get(key);
    if (!p) {
      p = new PartitionOffsets(topic, partition);
      this.partitions.set(key, p);
    }
    return p;
  }

  /** drops every partition tracker (rebalance): later completions of their work never commit */
  reset(): void {
    this.partitions = new Map();
    this.epochNumber++;
  }

  all(): PartitionOffsets[] {
    return [...this.partitions.values()];
  }

  /** positions that moved past the last commit */
  pendingCommits(): TopicPartitionOffset[] {
    const out: TopicPartitionOffset[] = [];
    for (const p of this.partitions.values()) {
      const next = p.committable();
      if (next !== undefined && (p.committed === undefined || next > p.committed)) {
        out.push({ topic: p.topic, partition: p.partition, offset: String(next) });
      }
    }
    return out;
  }

  /** records that these positions were committed (only for trackers of the current epoch) */
  markCommitted(offsets: TopicPartitionOffset[], trackers: ReadonlyMap<string, PartitionOffsets> = this.partitions): void {
    for (const o of offsets) {
      const p = trackers.get(OffsetTracker.key(o.topic, o.partition));
      if (p && this.partitions.get(OffsetTracker.key(o.topic, o.partition)) === p) {
        const n = Number(o.offset);
        if (p.committed === undefined || n > p.committed) p.committed = n;
      }
    }
  }

  /** snapshot of the current epoch's trackers, to pair with a commit in flight */
  snapshot(): ReadonlyMap<string, PartitionOffsets> {
    return this.partitions;
  }

  /** true when a partition is tracked in the current epoch */
  owns(tp: TopicPartition): boolean {
    return this.partitions.has(OffsetTracker.key(tp.topic, tp.partition));
  }
}

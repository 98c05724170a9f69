/**
 * HecBatcher groups encoded events into request-sized batches: a batch is sent when it reaches `maxEvents` or
 * `maxBytes` (uncompressed, separators included), or `flushIntervalMs` after its first event arrived. Events of
 * several deliveries may share a batch; each entry keeps a reference to its own delivery (its "ack"), so a batch
 * that is later split or resent still settles every delivery exactly once.
 */

export interface BatchEntry<T> {
  /** the HEC event JSON */
  json: string;
  /** byte length of `json` in UTF-8 */
  bytes: number;
  ref: T;
}

export interface HecBatcherLimits {
  maxBytes: number;
  maxEvents: number;
  flushIntervalMs: number;
}

/** bytes between two events of a body (a newline, which HEC skips as whitespace) */
export const EVENT_SEPARATOR_BYTES = 1;

export class HecBatcher<T> {
  private entries: Array<BatchEntry<T>> = [];
  private bytes = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly limits: HecBatcherLimits,
    private readonly onBatch: (entries: Array<BatchEntry<T>>) => void,
  ) {}

  /** Adds entries; full batches go out at once, a partial one after flushIntervalMs (or now when it is 0). */
  add(entries: Array<BatchEntry<T>>): void {
    for (const e of entries) {
      const size = e.bytes + EVENT_SEPARATOR_BYTES;
      if (this.entries.length > 0 && this.bytes + size > this.limits.maxBytes) this.flush();
      this.entries.push(e);
      this.bytes += size;
      // a single event bigger than maxBytes goes alone; HEC answers 413 if it is really too big
      if (this.entries.length >= this.limits.maxEvents || this.bytes >= this.limits.maxBytes) this.flush();
    }
    if (this.entries.length === 0) return;
    if (this.limits.flushIntervalMs === 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.limits.flushIntervalMs);
  }

  /** Sends what is buffered now. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.entries.length === 0) return;
    const batch = this.entries;
    this.entries = [];
    this.bytes = 0;
    this.onBatch(batch);
  }

  get pendingEvents(): number {
    return this.entries.length;
  }
}

/**
 * Indexer acknowledgment bookkeeping of the HEC test receiver, as Splunk keeps it: ackIds count from 0 per
 * channel, one ackId per accepted request, an ackId answers `true` once (then it is forgotten and answers
 * `false`), and `false` cannot tell "pending" from "lost".
 */

interface PendingAck {
  readyAt: number;
  stuck: boolean;
}

export class AckLedger {
  private readonly channels = new Map<string, { next: number; pending: Map<number, PendingAck> }>();
  private readonly stuckChannels = new Set<string>();
  private stuckNext = 0;

  /** Channels named here (and the next `next` new ones) never confirm. */
  setStuck(channels: string[], next: number): void {
    for (const c of channels) this.stuckChannels.add(c.toLowerCase());
    this.stuckNext = next;
  }

  clearStuck(): void {
    this.stuckChannels.clear();
    this.stuckNext = 0;
  }

  /** Registers a channel on first sight; returns whether its acks are stuck. */
  touch(channel: string): boolean {
    const key = channel.toLowerCase();
    if (!this.channels.has(key)) {
      this.channels.set(key, { next: 0, pending: new Map() });
      if (this.stuckNext > 0) {
        this.stuckNext--;
        this.stuckChannels.add(key);
      }
    }
    return this.stuckChannels.has(key);
  }

  isStuck(channel: string): boolean {
    return this.stuckChannels.has(channel.toLowerCase());
  }

  /** Gives the next ackId of the channel to an accepted request. */
  issue(channel: string, readyAt: number): number {
    const stuck = this.touch(channel);
    const ch = this.channels.get(channel.toLowerCase())!;
    const id = ch.next++;
    ch.pending.set(id, { readyAt, stuck });
    return id;
  }

  /** Answers an ack query: true once for each ready ackId, false otherwise. */
  query(channel: string, ids: number[], now: number): Record<string, boolean> {
    const ch = this.channels.get(channel.toLowerCase());
    const out: Record<string, boolean> = {};
    for (const id of ids) {
      const p = ch?.pending.get(id);
      const ready = p !== undefined && !p.stuck && p.readyAt <= now;
      if (ready) ch!.pending.delete(id);
      out[String(id)] = ready;
    }
    return out;
  }

  /** channels seen so far (lower case) */
  channelNames(): string[] {
    return [...this.channels.keys()];
  }
}

/**
 * HecAckTracker: indexer acknowledgment. Every accepted request leaves an ackId on its channel; the tracker polls
 * POST /services/collector/ack per channel every `pollIntervalMs` with all pending ackIds of that channel and
 * resolves a waiter 'acked' when its id answers true (Splunk says true only once). A waiter still pending after
 * its timeout resolves 'timeout': the caller resends the request (duplicates acceptable, loss never). A poll that
 * says acks are off (code 14) or the token is bad fails every waiter with SinkFatalError.
 */
import type { Logger } from 'pino';
import { SinkFatalError } from '../../errors.js';
import { ackQueryBody, HEC_ACK_PATH } from './request-builder.js';
import { describeReply, fatalMessage } from './responses.js';
import type { HecEndpoint, HecService } from './service.js';

export type AckOutcome = 'acked' | 'timeout';

interface Waiter {
  deadline: number;
  resolve(outcome: AckOutcome): void;
  reject(err: Error): void;
}

interface ChannelState {
  endpoint: HecEndpoint;
  channel: string;
  waiters: Map<number, Waiter>;
  polling: boolean;
}

export interface HecAckTrackerOptions {
  service: HecService;
  headers: (channel: string) => Record<string, string>;
  pollIntervalMs: number;
  logger: Logger;
  onFatal: (err: SinkFatalError) => void;
}

export class HecAckTracker {
  private readonly channels = new Map<string, ChannelState>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly o: HecAckTrackerOptions) {}

  /** Resolves 'acked' when Splunk confirms `ackId` on the channel, 'timeout' after `timeoutMs`. */
  wait(endpoint: HecEndpoint, channel: string, ackId: number, timeoutMs: number): Promise<AckOutcome> {
    if (this.closed) return Promise.resolve('timeout');
    const key = `${endpoint.url}\u0000${channel}`;
    let state = this.channels.get(key);
    if (!state) {
      state = { endpoint, channel, waiters: new Map(), polling: false };
      this.channels.set(key, state);
    }
    const s = state;
    return new Promise<AckOutcome>((resolve, reject) => {
      s.waiters.set(ackId, { deadline: Date.now() + timeoutMs, resolve, reject });
      this.schedule();
    });
  }

  get pending(): number {
    let n = 0;
    for (const s of this.channels.values()) n += s.waiters.size;
    return n;
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.tick();
    }, this.o.pollIntervalMs);
  }

  private async tick(): Promise<void> {
    const polls: Array<Promise<void>> = [];
    for (const [key, state] of this.channels) {
      if (state.waiters.size === 0) {
        this.channels.delete(key);
        continue;
      }
      if (!state.polling) polls.push(this.poll(state));
    }
    await Promise.all(polls);
    this.expire();
    if (this.pending > 0) this.schedule();
  }

  private async poll(state: ChannelState): Promise<void> {
    state.polling = true;
    const ids = [...state.waiters.keys()];
    try {
      const reply = await this.o.service.post(state.endpoint, HEC_ACK_PATH, ackQueryBody(ids), this.o.headers(state.channel));
      if (reply.status === 200 && reply.acks) {
        for (const [id, ok] of Object.entries(reply.acks)) {
          const w = state.waiters.get(Number(id));
          if (ok === true && w) {
            state.waiters.delete(Number(id));
            w.resolve('acked');
          }
        }
        return;
      }
      const fatal = fatalMessage(reply);
      if (fatal) {
        const err = new SinkFatalError('hec', fatal, reply.code);
        this.failAll(err);
        this.o.onFatal(err);
        return;
      }
      this.o.logger.warn({ url: state.endpoint.url, reply: describeReply(reply) }, 'HEC ack query failed; will poll again');
    } catch (err) {
      this.o.logger.warn({ url: state.endpoint.url, reason: (err as Error).message }, 'HEC ack query failed; will poll again');
    } finally {
      state.polling = false;
    }
  }

  private expire(): void {
    const now = Date.now();
    for (const state of this.channels.values()) {
      for (const [id, w] of state.waiters) {
        if (w.deadline <= now) {
          state.waiters.delete(id);
          w.resolve('timeout');
        }
      }
    }
  }

  private failAll(err: Error): void {
    for (const state of this.channels.values()) {
      for (const w of state.waiters.values()) w.reject(err);
      state.waiters.clear();
    }
  }

  /** Stops polling; pending waiters resolve 'timeout' (the caller decides what that means when closing). */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const state of this.channels.values()) {
      for (const w of state.waiters.values()) w.resolve('timeout');
      state.waiters.clear();
    }
  }
}

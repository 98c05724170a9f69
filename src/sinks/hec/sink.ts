/**
 * HecSink: the Splunk HTTP Event Collector sink (decision 9). It encodes items (encoder.ts), groups them into
 * batches (batcher.ts), sends each batch over the HecService (several URLs, several requests in flight, gzip),
 * waits for indexer acknowledgment (acknowledgements.ts) and settles every item of every delivery exactly once:
 *   - accepted (and acked when useAck): delivered;
 *   - 5xx, 429, 503 code 9/18-20, resets, timeouts: retried forever with full-jitter backoff, the failing URL
 *     rests while the others take the load;
 *   - not acked after ackTimeoutMs: resent on a fresh channel (duplicates acceptable, loss never);
 *   - 413 or 400 code 6/12/13/15: the batch is split (at `invalid-event-number` when HEC gives it, else in halves)
 *     until the bad event is alone; that event is returned in DeliveryResult.rejected with HEC's reason;
 *   - codes 1-4, 7, 10/11, 14, 16, 21, 22, 404: SinkFatalError saying what to change; every pending and later
 *     delivery rejects with it, nothing is retried forever.
 * The token is read once (token or tokenFile) and never logged or put into an error message.
 */
import { setMaxListeners } from 'node:events';
import { readFile } from 'node:fs/promises';
import { pino, type Logger } from 'pino';
import { ConfigError, SinkFatalError, SinkUnavailableError } from '../../errors.js';
import type { DeliveryResult, OutputItem, RejectedItem, Sink } from '../types.js';
import { HecAckTracker } from './acknowledgements.js';
import { HecBatcher, type BatchEntry } from './batcher.js';
import { readHecToken, validateHecSinkConfig, type HecSinkConfig, type HecSinkConfigInput } from './config.js';
import { encodeHecEvent } from './encoder.js';
import { buildHecBody, HEC_EVENT_PATH, hecHeaders } from './request-builder.js';
import { classifyHecReply } from './responses.js';
import { backoffDelayMs, sleep } from './retry.js';
import { HecService } from './service.js';
import type { HecRequestObserver } from '../../observability/metrics.js';
import { probeHecEndpoint } from './probe.js';

export interface HecSinkOptions {
  /** pino logger; secrets are never passed to it. Default: silent. */
  logger?: Logger;
  /** random source for backoff jitter (tests) */
  random?: () => number;
  /** told about every HEC request (endpoint, duration, status, HEC code): the worker's metrics.hecObserver */
  observer?: HecRequestObserver;
}

/** Counters of what the sink did, for tests, benchmarks and metrics. */
export interface HecSinkStats {
  requests: number;
  retries: number;
  splits: number;
  ackTimeouts: number;
  acked: number;
  delivered: number;
  rejected: number;
}

interface Delivery {
  remaining: number;
  rejected: RejectedItem[];
  done: boolean;
  /** removes the abort listener from the caller's signal */
  detach?: () => void;
  resolve(result: DeliveryResult): void;
  reject(err: Error): void;
}

type Entry = BatchEntry<{ item: OutputItem; delivery: Delivery }>;

function abortErrorOf(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const err = new Error('HEC delivery aborted before Splunk confirmed it', { cause: reason });
  err.name = 'AbortError';
  return err;
}

/** Ranges to resend after a split: around the invalid event when HEC named it, else two halves. */
export function splitRanges(n: number, invalidEventNumber?: number): Array<[number, number]> {
  if (invalidEventNumber !== undefined && invalidEventNumber >= 0 && invalidEventNumber < n) {
    const i = invalidEventNumber;
    const ranges: Array<[number, number]> = [
      [0, i],
      [i, i + 1],
      [i + 1, n],
    ];
    return ranges.filter(([a, b]) => b > a);
  }
  const mid = Math.ceil(n / 2);
  return [
    [0, mid],
    [mid, n],
  ];
}

export class HecSink implements Sink {
  readonly name = 'hec';
  readonly config: HecSinkConfig;
  readonly stats: HecSinkStats = { requests: 0, retries: 0, splits: 0, ackTimeouts: 0, acked: 0, delivered: 0, rejected: 0 };
  private readonly logger: Logger;
  private readonly random: () => number;
  private readonly observer: HecRequestObserver | undefined;
  private readonly batcher: HecBatcher<{ item: OutputItem; delivery: Delivery }>;
  private readonly open = new Set<Delivery>();
  private readonly tasks = new Set<Promise<void>>();
  private readonly stopController = new AbortController();
  private initPromise: Promise<void> | undefined;
  private token = '';
  private service!: HecService;
  private acks!: HecAckTracker;
  private fatal: SinkFatalError | undefined;
  private closing = false;
  private stopped = false;
  private warnedNoAckId = false;

  /** Validates the config (pure; throws ConfigError); nothing touches the network before start()/deliver(). */
  constructor(config: HecSinkConfigInput | HecSinkConfig, options: HecSinkOptions = {}) {
    this.config = validateHecSinkConfig(config);
    this.logger = options.logger ?? pino({ level: 'silent' });
    this.random = options.random ?? Math.random;
    this.observer = options.observer;
    this.batcher = new HecBatcher(this.config.batch, (entries) => this.launch(entries));
    // every waiting batch listens to the stop signal: many listeners are expected
    setMaxListeners(0, this.stopController.signal);
  }

  /**
   * Checks every URL: GET /services/collector/health, then the token with an empty ack query (POST
   * /services/collector/ack {"acks":[]}), which tells a bad or disabled token (codes 1-4) and whether the token
   * has acks on (code 14 when off) without indexing anything. A wrong index can only show on the first delivery.
   * Throws SinkFatalError for a bad token, acks off while useAck is on, a TLS failure, or a wrong URL;
   * SinkUnavailableError when no URL can be reached or none is healthy (retry later).
   */
  async start(): Promise<void> {
    await this.init();
    const results = await Promise.all(
      this.service.endpoints.map((ep) =>
        probeHecEndpoint(this.service, ep, { token: this.token, channel: ep.channels[0] }),
      ),
    );
    const failures: string[] = [];
    for (const r of results) {
      if (r.fatal) throw new SinkFatalError('hec', r.fatal.message, r.fatal.code);
      if (!r.reachable || !r.healthy) {
        failures.push(`${r.url}: ${r.problem ?? 'unreachable'}`);
        continue;
      }
      if (r.ackEnabled === false && this.config.useAck) {
        throw new SinkFatalError(
          'hec',
          'HEC indexer acknowledgment is disabled for this token (code 14): set sinks.hec.useAck: false, or enable "Indexer acknowledgement" on the token',
          14,
        );
      }
      if (r.ackEnabled === true && !this.config.useAck) {
        this.logger.warn(
          { url: r.url },
          'the HEC token has indexer acknowledgment on but sinks.hec.useAck is false: deliveries are not confirmed; set useAck: true',
        );
      }
    }
    if (failures.length === results.length) {
      throw new SinkUnavailableError(
        'hec',
        `no HEC URL is usable (${failures.join('; ')}): check sinks.hec.urls, the network path to Splunk and that HEC is enabled`,
      );
    }
    for (const f of failures) this.logger.warn({ problem: f }, 'HEC URL not usable now; the other URLs take the load');
  }

  async deliver(items: OutputItem[], signal?: AbortSignal): Promise<DeliveryResult> {
    if (this.fatal) throw this.fatal;
    if (this.closing) throw new SinkUnavailableError('hec', 'the sink is closing: deliveries are refused');
    if (signal?.aborted) throw abortErrorOf(signal);
    await this.init();
    if (items.length === 0) return { rejected: [] };
    return new Promise<DeliveryResult>((resolve, reject) => {
      const delivery: Delivery = { remaining: items.length, rejected: [], done: false, resolve, reject };
      const entries: Entry[] = [];
      for (const item of items) {
        let json: string;
        try {
          json = encodeHecEvent(item, this.config);
        } catch (err) {
          delivery.rejected.push({ item, reason: `cannot encode as JSON for HEC: ${(err as Error).message}` });
          delivery.remaining--;
          this.stats.rejected++;
          continue;
        }
        entries.push({ json, bytes: Buffer.byteLength(json), ref: { item, delivery } });
      }
      if (delivery.remaining === 0) {
        delivery.done = true;
        resolve({ rejected: delivery.rejected });
        return;
      }
      this.open.add(delivery);
      if (signal) {
        const onAbort = () => this.failDelivery(delivery, abortErrorOf(signal));
        signal.addEventListener('abort', onAbort, { once: true });
        delivery.detach = () => signal.removeEventListener('abort', onAbort);
      }
      this.batcher.add(entries);
    });
  }

  /**
   * Sends what is buffered and waits up to closeTimeoutMs for pending deliveries (acks included); deliveries still
   * pending then reject with SinkUnavailableError. Releases every connection.
   */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.batcher.flush();
    if (this.initPromise) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.tasks]),
        new Promise<void>((r) => (timer = setTimeout(r, this.config.closeTimeoutMs))),
      ]);
      clearTimeout(timer);
    }
    this.stopped = true;
    this.stopController.abort();
    if (this.initPromise) {
      await this.initPromise.catch(() => undefined);
      this.acks?.close();
      await this.service?.close();
    }
    await Promise.allSettled([...this.tasks]);
    for (const d of [...this.open]) {
      this.failDelivery(d, new SinkUnavailableError('hec', 'the sink closed before Splunk confirmed delivery; the items will be read again'));
    }
  }

  private init(): Promise<void> {
    this.initPromise ??= (async () => {
      this.token = await readHecToken(this.config);
      let ca: string | undefined;
      if (this.config.tls.caFile) {
        try {
          ca = await readFile(this.config.tls.caFile, 'utf8');
        } catch (err) {
          throw new ConfigError(
            'sinks.hec.tls.caFile',
            `cannot read ${this.config.tls.caFile} (${(err as NodeJS.ErrnoException).code ?? 'error'}): check the path`,
          );
        }
      }
      this.service = new HecService({
        urls: this.config.urls,
        maxInFlightRequests: this.config.maxInFlightRequests,
        requestTimeoutMs: this.config.requestTimeoutMs,
        rejectUnauthorized: this.config.tls.rejectUnauthorized,
        ca,
        token: this.token,
        ...(this.observer ? { observer: this.observer } : {}),
      });
      this.acks = new HecAckTracker({
        service: this.service,
        headers: (channel) => hecHeaders(this.token, channel, false),
        pollIntervalMs: this.config.ackPollIntervalMs,
        logger: this.logger,
        onFatal: (err) => this.latchFatal(err),
      });
    })();
    return this.initPromise;
  }

  private launch(entries: Entry[]): void {
    const task = this.send(entries).catch((err: unknown) => {
      // a bug, not a delivery outcome: never leave the deliveries hanging
      const e = err instanceof Error ? err : new Error(String(err));
      this.logger.error({ reason: this.service.scrub(e.message) }, 'HEC sink internal error');
      this.failEntries(entries, new SinkUnavailableError('hec', `internal error: ${this.service.scrub(e.message)}`));
    });
    this.tasks.add(task);
    void task.finally(() => this.tasks.delete(task));
  }

  /** Sends one batch until every entry is accepted (acked) or rejected, or the sink stops. */
  private async send(entries: Entry[]): Promise<void> {
    // a split sends parts of a batch whose texts were released below: they are encoded again (same text)
    const body = await buildHecBody(
      entries.map((e) => e.json || encodeHecEvent(e.ref.item, this.config)),
      this.config.gzip,
      this.config.gzipLevel,
    );
    // the body is what every resend uses: the event texts are not kept while waiting for HEC and its ack
    for (const e of entries) e.json = '';
    let attempt = 0;
    for (;;) {
      if (this.fatal) return this.failEntries(entries, this.fatal);
      if (this.stopped) {
        return this.failEntries(entries, new SinkUnavailableError('hec', 'the sink closed before Splunk confirmed delivery'));
      }
      if (entries.every((e) => e.ref.delivery.done)) return; // every owner gave up (aborted) or failed
      let lease;
      try {
        lease = await this.service.acquire(this.stopController.signal);
      } catch {
        continue; // stopped: handled at the top
      }
      const { endpoint, channel } = lease;
      this.stats.requests++;
      let reply;
      try {
        reply = await this.service.post(endpoint, HEC_EVENT_PATH, body.body, hecHeaders(this.token, channel, body.gzip));
      } catch (err) {
        lease.release();
        this.service.rest(endpoint, this.config.retry.urlBackoffMs);
        this.noteRetry(attempt, (err as Error).message, entries.length);
        await this.pause(attempt++);
        continue;
      }
      lease.release();
      const verdict = classifyHecReply(reply);
      switch (verdict.kind) {
        case 'accepted': {
          if (this.config.useAck && verdict.ackId !== undefined) {
            let outcome;
            try {
              outcome = await this.acks.wait(endpoint, channel, verdict.ackId, this.config.ackTimeoutMs);
            } catch {
              continue; // fatal ack answer: latched, handled at the top
            }
            if (outcome === 'acked') {
              this.stats.acked++;
              return this.settle(entries);
            }
            if (this.stopped) continue;
            this.stats.ackTimeouts++;
            this.logger.warn(
              { url: endpoint.url, events: entries.length, ackTimeoutMs: this.config.ackTimeoutMs },
              'HEC did not acknowledge a request in time; resending it on a new channel (duplicates possible, no loss)',
            );
            this.service.rotateChannel(endpoint, channel);
            continue;
          }
          if (this.config.useAck && !this.warnedNoAckId) {
            this.warnedNoAckId = true;
            this.logger.warn(
              { url: endpoint.url },
              'HEC accepted data without an ackId although sinks.hec.useAck is true: the token has indexer acknowledgment off, so delivery counts on HTTP 200 only',
            );
          }
          return this.settle(entries);
        }
        case 'retry':
          if (verdict.busy) this.service.rest(endpoint, this.config.retry.urlBackoffMs);
          this.noteRetry(attempt, `${endpoint.url}: ${verdict.reason}`, entries.length);
          await this.pause(attempt++);
          continue;
        case 'split': {
          if (entries.length === 1) return this.rejectEntry(entries[0], verdict.reason);
          this.stats.splits++;
          const ranges = splitRanges(entries.length, verdict.invalidEventNumber);
          this.logger.info({ events: entries.length, parts: ranges.length, reason: verdict.reason }, 'HEC refused a batch; splitting it to isolate the bad event');
          await Promise.all(ranges.map(([a, b]) => this.send(entries.slice(a, b))));
          return;
        }
        case 'fatal':
          this.latchFatal(new SinkFatalError('hec', verdict.message, verdict.code));
          continue;
      }
    }
  }

  private noteRetry(attempt: number, reason: string, events: number): void {
    this.stats.retries++;
    const fields = { reason: this.service.scrub(reason), attempt: attempt + 1, events };
    if (attempt < 3) this.logger.debug(fields, 'HEC request failed; retrying with backoff');
    else this.logger.warn(fields, 'HEC request keeps failing; retrying with backoff');
  }

  private async pause(attempt: number): Promise<void> {
    await sleep(backoffDelayMs(attempt, this.config.retry, this.random), this.stopController.signal).catch(() => undefined);
  }

  private settle(entries: Entry[]): void {
    for (const e of entries) {
      const d = e.ref.delivery;
      if (d.done) continue;
      this.stats.delivered++;
      if (--d.remaining === 0) this.finish(d);
    }
  }

  private rejectEntry(entry: Entry, reason: string): void {
    const d = entry.ref.delivery;
    if (d.done) return;
    this.stats.rejected++;
    d.rejected.push({ item: entry.ref.item, reason });
    this.logger.warn({ reason }, 'HEC refused an event for good; it is returned for dead-lettering');
    if (--d.remaining === 0) this.finish(d);
  }

  private finish(d: Delivery): void {
    d.done = true;
    this.open.delete(d);
    d.detach?.();
    d.resolve({ rejected: d.rejected });
  }

  private failEntries(entries: Entry[], err: Error): void {
    for (const e of entries) this.failDelivery(e.ref.delivery, err);
  }

  private failDelivery(d: Delivery, err: Error): void {
    if (d.done) return;
    d.done = true;
    this.open.delete(d);
    d.detach?.();
    d.reject(err);
  }

  private latchFatal(err: SinkFatalError): void {
    if (this.fatal) return;
    this.fatal = err;
    this.logger.error({ code: err.code, reason: err.reason }, 'HEC sink stopped: configuration error');
    for (const d of [...this.open]) this.failDelivery(d, err);
  }
}

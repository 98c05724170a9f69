/**
 * HecService: the HTTP side of the HEC sink. One undici Pool per HEC URL (keep-alive, TLS verification on by
 * default), `maxInFlightRequests` slots per URL with one channel GUID each, round-robin over the URLs that have a
 * free slot and are not resting, and a per-URL rest window after a 503 or a connection failure so the other URLs
 * take the load. Each channel keeps the sticky-session cookies a load balancer sets (channel-cookies.ts). Transport
 * failures become SinkUnavailableError with the token scrubbed from the message.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'undici';
import { SinkUnavailableError } from '../../errors.js';
import type { HecRequestObserver } from '../../observability/metrics.js';
import { ChannelCookies } from './channel-cookies.js';
import { parseHecReply, type HecReply } from './responses.js';

export interface HecServiceOptions {
  urls: string[];
  maxInFlightRequests: number;
  requestTimeoutMs: number;
  rejectUnauthorized: boolean;
  /** PEM text of the CA (already read from tls.caFile) */
  ca?: string;
  /** used only to scrub it from error messages */
  token: string;
  /** told about every finished request (event, ack, health): metrics */
  observer?: HecRequestObserver;
}

/** The metrics name of a HEC path: "event", "ack", "health" (the last path segment). */
export function hecEndpointName(path: string): string {
  const clean = path.split('?')[0]!.replace(/\/+$/, '');
  return clean.slice(clean.lastIndexOf('/') + 1) || 'collector';
}

export interface HecEndpoint {
  /** the URL as configured (for logs; holds no token) */
  readonly url: string;
  readonly basePath: string;
  readonly pool: Pool;
  /** channel GUID of each slot */
  readonly channels: string[];
  readonly freeSlots: number[];
  restUntil: number;
  /** the load balancer's sticky-session cookies of each channel */
  readonly cookies: ChannelCookies;
}

export interface HecLease {
  endpoint: HecEndpoint;
  channel: string;
  release(): void;
}

/** The base path of a HEC URL without a trailing slash or a pasted /services/collector... suffix. */
export function hecBasePath(url: URL): string {
  return url.pathname.replace(/\/services\/collector.*$/, '').replace(/\/+$/, '');
}

export class HecService {
  readonly endpoints: HecEndpoint[];
  private next = 0;
  private waiters: Array<() => void> = [];
  private closed = false;

  constructor(private readonly options: HecServiceOptions) {
    this.endpoints = options.urls.map((raw) => {
      const url = new URL(raw);
      const pool = new Pool(url.origin, {
        connections: options.maxInFlightRequests + 1, // + 1 for ack polls and health checks
        pipelining: 1,
        keepAliveTimeout: 30_000,
        headersTimeout: options.requestTimeoutMs,
        bodyTimeout: options.requestTimeoutMs,
        connect: { rejectUnauthorized: options.rejectUnauthorized, ...(options.ca ? { ca: options.ca } : {}) },
      });
      const channels = Array.from({ length: options.maxInFlightRequests }, () => randomUUID());
      return {
        url: raw,
        basePath: hecBasePath(url),
        pool,
        channels,
        freeSlots: channels.map((_, i) => i),
        restUntil: 0,
        cookies: new ChannelCookies(),
      };
    });
  }

  /**
   * Waits for a free slot, round-robin over the URLs that are not resting; when every URL is resting, the one whose
   * rest ends first is used anyway (each batch still backs off on its own), so resting moves load to other URLs
   * but never stalls a single-URL setup.
   */
  async acquire(signal?: AbortSignal): Promise<HecLease> {
    for (;;) {
      if (this.closed) throw new SinkUnavailableError('hec', 'the sink is closed');
      signal?.throwIfAborted();
      const ep = this.pick();
      if (ep) {
        const slot = ep.freeSlots.pop()!;
        let released = false;
        return {
          endpoint: ep,
          channel: ep.channels[slot],
          release: () => {
            if (released) return;
            released = true;
            ep.freeSlots.push(slot);
            this.wake();
          },
        };
      }
      await this.waitForChange(signal);
    }
  }

  /** the next usable endpoint with a free slot; resting endpoints only when every endpoint is resting */
  private pick(): HecEndpoint | undefined {
    const now = Date.now();
    const n = this.endpoints.length;
    const allResting = this.endpoints.every((e) => e.restUntil > now);
    let best: number | undefined;
    for (let k = 0; k < n; k++) {
      const i = (this.next + k) % n;
      const ep = this.endpoints[i];
      if (ep.freeSlots.length === 0) continue;
      if (ep.restUntil <= now) {
        best = i;
        break;
      }
      if (allResting && (best === undefined || ep.restUntil < this.endpoints[best].restUntil)) best = i;
    }
    if (best === undefined) return undefined;
    this.next = (best + 1) % n;
    return this.endpoints[best];
  }

  /** Rests a URL for `ms` (after 503 or a connection failure) so other URLs take the load. */
  rest(endpoint: HecEndpoint, ms: number): void {
    endpoint.restUntil = Math.max(endpoint.restUntil, Date.now() + ms);
  }

  /** Gives the slot that used `channel` a new channel GUID (after acks on it stopped confirming). */
  rotateChannel(endpoint: HecEndpoint, channel: string): void {
    const i = endpoint.channels.indexOf(channel);
    if (i >= 0) endpoint.channels[i] = randomUUID();
    endpoint.cookies.forget(channel);
  }

  /** POSTs `body` to `path` on the endpoint; throws SinkUnavailableError on transport failure or timeout. */
  async post(endpoint: HecEndpoint, path: string, body: Buffer | string, headers: Record<string, string>): Promise<HecReply> {
    return this.call(endpoint, 'POST', path, body, headers);
  }

  async get(endpoint: HecEndpoint, path: string, headers: Record<string, string> = {}): Promise<HecReply> {
    return this.call(endpoint, 'GET', path, undefined, headers);
  }

  private async call(
    endpoint: HecEndpoint,
    method: 'GET' | 'POST',
    path: string,
    body: Buffer | string | undefined,
    headers: Record<string, string>,
  ): Promise<HecReply> {
    const started = performance.now();
    // a channel's requests carry the cookies its answers set: a load balancer keeps them on one indexer
    const channel = headers['x-splunk-request-channel'];
    const cookie = channel === undefined ? undefined : endpoint.cookies.header(channel);
    try {
      const res = await endpoint.pool.request({
        method,
        path: endpoint.basePath + path,
        headers: cookie === undefined ? headers : { ...headers, cookie },
        body,
        signal: AbortSignal.timeout(this.options.requestTimeoutMs),
      });
      if (channel !== undefined) endpoint.cookies.remember(channel, res.headers['set-cookie']);
      const text = await res.body.text();
      const reply = parseHecReply(res.statusCode, text);
      this.observe(path, started, reply.status, reply.code);
      return reply;
    } catch (err) {
      this.observe(path, started, 0, undefined);
      throw new SinkUnavailableError('hec', `${endpoint.url}: ${this.describeTransportError(err)}`, undefined);
    }
  }

  private observe(path: string, started: number, status: number, code: number | undefined): void {
    const observer = this.options.observer;
    if (!observer) return;
    try {
      observer.observeRequest({
        endpoint: hecEndpointName(path),
        durationSeconds: (performance.now() - started) / 1000,
        status,
        ...(code === undefined ? {} : { code }),
      });
    } catch {
      // metrics never break delivery
    }
  }

  /** A one-line reason for a transport failure, without the token. */
  describeTransportError(err: unknown): string {
    const e = err as { code?: string; name?: string; message?: string; cause?: { code?: string; message?: string } };
    const code = e.code ?? e.cause?.code ?? e.name;
    const messages = [e.message, e.cause?.message].filter((p): p is string => typeof p === 'string' && p.length > 0);
    const parts = [...new Set(messages)];
    // name the error code once, unless a message already does
    if (code && !parts.some((p) => p.includes(code))) parts.unshift(code);
    const text = parts.join(': ') || String(err);
    return this.scrub(text);
  }

  scrub(text: string): string {
    return this.options.token ? text.split(this.options.token).join('[REDACTED]') : text;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private waitForChange(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(signal!.reason as Error);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake();
    await Promise.all(this.endpoints.map((e) => e.pool.destroy().catch(() => undefined)));
  }
}

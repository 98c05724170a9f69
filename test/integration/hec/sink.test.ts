/**
 * HecSink against the protocol-faithful HEC receiver: what is delivered arrives exactly as encoded; busy answers,
 * resets, outages and acks that never confirm lose nothing; 413 and code 6 isolate exactly the bad events; bad
 * configuration stops with SinkFatalError naming the code; several URLs survive one being down; the token never
 * shows in an error or a log line.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { SinkFatalError, SinkUnavailableError } from '../../../src/errors.js';
import { HecSink, hecEnvelopeOf, type HecSinkConfigInput } from '../../../src/sinks/hec/index.js';
import { startHecReceiver, type HecReceiver, type HecReceiverOptions } from '../../support/hec-receiver/index.js';
import { detection, itemId, items, signInEvent, storedId } from './fixtures.js';

const TOKEN = '5f3c9a1e-7b2d-4e8f-9a6b-0c1d2e3f4a5b';
const NOACK_TOKEN = '0a1b2c3d-0000-4e8f-9a6b-0c1d2e3f4a5b';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

async function receiver(opts: Partial<HecReceiverOptions> = {}): Promise<HecReceiver> {
  const r = await startHecReceiver({
    tokens: [
      { token: TOKEN, useAck: true, allowedIndexes: ['entra', 'alerts'] },
      { token: NOACK_TOKEN, useAck: false },
    ],
    ...opts,
  });
  open.push(r);
  return r;
}

function logCapture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), text: () => lines.join('') };
}

function sink(urls: string[], extra: Partial<HecSinkConfigInput> = {}, logger = logCapture().logger): HecSink {
  const s = new HecSink(
    {
      urls,
      token: TOKEN,
      index: 'entra',
      detectionIndex: 'alerts',
      ackPollIntervalMs: 20,
      ackTimeoutMs: 2_000,
      requestTimeoutMs: 2_000,
      closeTimeoutMs: 2_000,
      batch: { maxEvents: 40, maxBytes: 1_000_000, flushIntervalMs: 5 },
      retry: { baseMs: 5, maxMs: 80, jitter: true, urlBackoffMs: 50 },
      ...extra,
    },
    { logger },
  );
  open.push(s);
  return s;
}

function idsOf(r: HecReceiver): Set<string> {
  return new Set(r.events().map(storedId));
}

describe('HecSink delivery', () => {
  it('delivers every item exactly as encoded (acks on, gzip on), events and detections', async () => {
    const r = await receiver();
    const s = sink([r.url]);
    await s.start();
    const batch = items(120);
    const res = await s.deliver(batch);
    expect(res.rejected).toEqual([]);
    const stored = r.events();
    expect(stored).toHaveLength(batch.length);
    const byId = new Map(stored.map((e) => [storedId(e), e]));
    for (const item of batch) {
      const env = JSON.parse(JSON.stringify(hecEnvelopeOf(item, s.config))) as Record<string, unknown>;
      const got = byId.get(itemId(item))!;
      expect({ time: got.time, source: got.source, sourcetype: got.sourcetype, index: got.index, event: got.event }).toEqual(env);
    }
    const ev = byId.get('ev-3')!;
    expect(ev).toMatchObject({ sourcetype: 'azure:monitor:aad', index: 'entra', time: 1_700_000_003.003 });
    expect(ev.event).toEqual(signInEvent(3).raw);
    expect(byId.get('det-10')).toMatchObject({ sourcetype: 'entrawatch:detection', index: 'alerts', time: 1_700_000_600.25 });
    expect(byId.get('det-10')!.event).toEqual(detection(10));
    const data = r.requests().filter((q) => q.path === '/services/collector/event');
    expect(data.every((q) => q.gzip && q.channel)).toBe(true);
    expect(data.length).toBeGreaterThanOrEqual(Math.ceil(batch.length / 40));
    expect(s.stats.acked).toBe(data.length);
  });

  it('sends plain bodies with gzip off, and indexed fields when asked', async () => {
    const r = await receiver();
    const s = sink([r.url], { gzip: false, indexedFields: ['user', 'action', 'severity'] });
    await s.deliver(items(15, 5));
    expect(r.requests().filter((q) => q.path === '/services/collector/event').every((q) => !q.gzip)).toBe(true);
    const ev = r.events().find((e) => storedId(e) === 'ev-5')!;
    expect(ev.fields).toEqual({ user: 'user5@contoso.example', action: 'failure' });
    expect(r.events().find((e) => storedId(e) === 'det-5')!.fields).toEqual({ severity: 'high' });
  });

  it('merges concurrent deliveries into shared batches and settles each on its own', async () => {
    const r = await receiver();
    const s = sink([r.url], { batch: { maxEvents: 100, maxBytes: 1_000_000, flushIntervalMs: 30 } });
    const parts = [0, 1, 2, 3].map((k) => items(10, 0).map((it) => ({ ...it, event: signInEvent(k * 100 + Number(itemId(it).slice(3))) })));
    const results = await Promise.all(parts.map((p) => s.deliver(p as typeof p)));
    expect(results.every((x) => x.rejected.length === 0)).toBe(true);
    expect(r.events()).toHaveLength(40);
    expect(r.requests().filter((q) => q.path === '/services/collector/event').length).toBeLessThan(4);
  });

  it('loses nothing when 20% of requests get 503 code 9, and retries them', async () => {
    const r = await receiver({ seed: 7 });
    await r.faults.set({ busyRate: 0.2 });
    const s = sink([r.url]);
    const batch = items(400, 0);
    const res = await s.deliver(batch);
    expect(res.rejected).toEqual([]);
    const ids = idsOf(r);
    for (const it of batch) expect(ids.has(itemId(it))).toBe(true);
    expect(r.requests().some((q) => q.code === 9)).toBe(true);
    expect(s.stats.retries).toBeGreaterThan(0);
  });

  it('reports every request (event, ack, health) to the observer with its status and HEC code', async () => {
    const r = await receiver({ seed: 7 });
    const samples: Array<{ endpoint: string; durationSeconds: number; status: number; code?: number }> = [];
    const s = new HecSink(
      {
        urls: [r.url],
        token: TOKEN,
        index: 'entra',
        detectionIndex: 'alerts',
        ackPollIntervalMs: 20,
        batch: { maxEvents: 40, maxBytes: 1_000_000, flushIntervalMs: 5 },
        retry: { baseMs: 5, maxMs: 80, jitter: true, urlBackoffMs: 50 },
      },
      { observer: { observeRequest: (x) => samples.push(x) } },
    );
    open.push(s);
    await s.start();
    await r.faults.set({ busyRate: 0.3 });
    const res = await s.deliver(items(200, 0));
    expect(res.rejected).toEqual([]);
    const endpoints = new Set(samples.map((x) => x.endpoint));
    expect(endpoints).toEqual(new Set(['health', 'ack', 'event']));
    const events = samples.filter((x) => x.endpoint === 'event');
    expect(events.length).toBe(s.stats.requests);
    expect(s.stats.retries).toBeGreaterThan(0);
    expect(events.filter((x) => x.status === 503 && x.code === 9).length).toBe(s.stats.retries);
    expect(events.some((x) => x.status === 200 && x.code === 0)).toBe(true);
    for (const x of samples) expect(x.durationSeconds).toBeGreaterThanOrEqual(0);
  });

  it('loses nothing with connection resets and 500s', async () => {
    const r = await receiver({ seed: 3 });
    await r.faults.set({ resetRate: 0.15, serverErrorRate: 0.15 });
    const s = sink([r.url]);
    const batch = items(200, 0);
    expect((await s.deliver(batch)).rejected).toEqual([]);
    const ids = idsOf(r);
    expect(batch.every((it) => ids.has(itemId(it)))).toBe(true);
  });

  it('retries requests that time out (slow HEC) and completes when answers come in time again', async () => {
    const r = await receiver();
    await r.faults.set({ delayMs: 400 });
    const s = sink([r.url], { requestTimeoutMs: 100 });
    const p = s.deliver(items(40, 0));
    await new Promise((res) => setTimeout(res, 350));
    await r.faults.set({ delayMs: 0 });
    expect((await p).rejected).toEqual([]);
    expect(idsOf(r).size).toBe(40);
    expect(s.stats.retries).toBeGreaterThan(0);
  });

  it('a single URL answering 503 is not stalled by its rest window (each batch backs off on its own)', async () => {
    const r = await receiver({ seed: 5 });
    await r.faults.set({ busyRate: 0.3 });
    const s = sink([r.url], { retry: { baseMs: 5, maxMs: 50, jitter: true, urlBackoffMs: 600_000 } });
    expect((await s.deliver(items(200, 0))).rejected).toEqual([]);
    expect(idsOf(r).size).toBe(200);
  });

  it('waits through an outage (connections refused, then 503) and completes after recovery', async () => {
    const r = await receiver();
    const s = sink([r.url]);
    await r.faults.set({ outage: 'refuse' });
    let settled = false;
    const p = s.deliver(items(50, 0)).then((x) => {
      settled = true;
      return x;
    });
    await new Promise((res) => setTimeout(res, 300));
    expect(settled).toBe(false);
    await r.faults.set({ outage: 'busy' });
    await new Promise((res) => setTimeout(res, 200));
    expect(settled).toBe(false);
    await r.faults.set({ outage: null });
    expect((await p).rejected).toEqual([]);
    expect(idsOf(r).size).toBe(50);
  });

  it('resends a request whose channel never acknowledges, on a new channel, and loses nothing', async () => {
    const r = await receiver();
    await r.faults.set({ ackStuckNextChannels: 1 });
    const s = sink([r.url], { ackTimeoutMs: 300, maxInFlightRequests: 2 });
    const batch = items(120, 0);
    expect((await s.deliver(batch)).rejected).toEqual([]);
    expect(s.stats.ackTimeouts).toBeGreaterThan(0);
    const ids = idsOf(r);
    expect(batch.every((it) => ids.has(itemId(it)))).toBe(true);
    expect(r.channels().length).toBeGreaterThan(2); // the stuck channel was replaced
  });

  it('behind a load balancer, keeps each channel on the indexer holding its acks (sticky cookie): no ack times out', async () => {
    const r = await receiver({ loadBalancer: { indexers: 2 } });
    // the receiver's balancer is real: an ack query without the cookie lands on the other indexer and says false
    const headers = { authorization: `Splunk ${TOKEN}`, 'x-splunk-request-channel': '11111111-2222-4333-8444-555555555555' };
    const sent = await fetch(`${r.url}/services/collector/event`, { method: 'POST', headers, body: JSON.stringify({ event: 'probe', index: 'entra' }) });
    const { ackId } = (await sent.json()) as { ackId: number };
    expect(sent.headers.get('set-cookie')).toMatch(/^AWSELB=\d; Path=\//);
    const unpinned = await fetch(`${r.url}/services/collector/ack`, { method: 'POST', headers, body: JSON.stringify({ acks: [ackId] }) });
    expect(await unpinned.json()).toEqual({ acks: { [String(ackId)]: false } });
    r.clear();

    const s = sink([r.url], { ackTimeoutMs: 1_500, maxInFlightRequests: 4 });
    await s.start();
    const batch = items(200, 0);
    expect((await s.deliver(batch)).rejected).toEqual([]);
    expect(s.stats.ackTimeouts).toBe(0);
    const ids = idsOf(r);
    expect(batch.every((it) => ids.has(itemId(it)))).toBe(true);
    const byChannel = new Map<string, Set<number>>();
    for (const q of r.requests().filter((x) => x.channel)) {
      const set = byChannel.get(q.channel!) ?? new Set<number>();
      set.add(q.indexer!);
      byChannel.set(q.channel!, set);
    }
    expect(byChannel.size).toBe(4);
    for (const indexers of byChannel.values()) expect(indexers.size).toBe(1); // data and ack polls of a channel: one indexer
    expect(new Set([...byChannel.values()].flatMap((x) => [...x])).size).toBe(2); // the channels still spread over both
    // start() probes the ack setting once before any data; every poll for delivered data comes pinned
    const firstData = r.requests().findIndex((q) => q.path === '/services/collector/event');
    const polls = r.requests().slice(firstData).filter((q) => q.path === '/services/collector/ack');
    expect(polls.length).toBeGreaterThan(0);
    expect(polls.every((q) => q.pinned)).toBe(true);
  });

  it('isolates exactly the events HEC refuses with code 6; all others are delivered', async () => {
    const r = await receiver();
    const bad = new Set(['ev-7', 'ev-33', 'ev-34']);
    await r.faults.set({ rejectEvent: (e) => bad.has(String((e.event as { properties?: { id?: string } }).properties?.id)) });
    const s = sink([r.url]);
    const batch = items(80, 0);
    const res = await s.deliver(batch);
    expect(res.rejected.map((x) => itemId(x.item)).sort()).toEqual([...bad].sort());
    for (const x of res.rejected) expect(x.reason).toMatch(/HEC 400 code 6: Invalid data format/);
    const ids = idsOf(r);
    expect(batch.filter((it) => !bad.has(itemId(it))).every((it) => ids.has(itemId(it)))).toBe(true);
    expect([...bad].some((id) => ids.has(id))).toBe(false);
    expect(s.stats.splits).toBeGreaterThan(0);
  });

  it('isolates events HEC refuses when it indexes the events before the bad one (duplicates allowed, loss never)', async () => {
    const r = await receiver({ indexBeforeInvalid: true });
    await r.faults.set({ rejectEvent: (e) => (e.event as { properties?: { id?: string } }).properties?.id === 'ev-20' });
    const s = sink([r.url]);
    const res = await s.deliver(items(60, 0));
    expect(res.rejected.map((x) => itemId(x.item))).toEqual(['ev-20']);
    expect(idsOf(r).size).toBe(59);
  });

  it('isolates an event too large for the body limit (413) and delivers the rest', async () => {
    const r = await receiver({ maxContentLength: 20_000 });
    const s = sink([r.url], { gzip: true });
    const batch = items(60, 0);
    const huge = signInEvent(999, { padding: 'z'.repeat(30_000) });
    batch.splice(25, 0, { type: 'event', event: huge });
    const res = await s.deliver(batch);
    expect(res.rejected.map((x) => itemId(x.item))).toEqual(['ev-999']);
    expect(res.rejected[0].reason).toMatch(/HEC 413/);
    expect(idsOf(r).size).toBe(60);
  });
});

describe('HecSink configuration errors', () => {
  it('bad token: start() and deliver() fail with SinkFatalError naming code 4, without retrying forever', async () => {
    const r = await receiver();
    const cap = logCapture();
    const s = sink([r.url], { token: 'ffffffff-dead-beef-0000-123456789abc' }, cap.logger);
    await expect(s.start()).rejects.toThrow(/HEC token is invalid \(code 4\): check sinks.hec.token/);
    const err = await s.deliver(items(30, 0)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SinkFatalError);
    expect((err as SinkFatalError).code).toBe(4);
    const before = r.requests().length;
    await new Promise((res) => setTimeout(res, 200));
    expect(r.requests().length).toBe(before);
    expect(before).toBeLessThan(5);
    await expect(s.deliver(items(1, 0))).rejects.toBeInstanceOf(SinkFatalError);
    expect(cap.text()).not.toContain('ffffffff-dead-beef-0000-123456789abc');
    expect((err as Error).message).not.toContain('ffffffff-dead-beef');
  });

  it('disabled token: code 1; index not allowed: code 7, both fatal', async () => {
    const r = await receiver({ tokens: [{ token: TOKEN, disabled: true }, { token: NOACK_TOKEN, allowedIndexes: ['entra'] }] });
    await expect(sink([r.url]).deliver(items(3, 0))).rejects.toThrow(/disabled \(code 1\)/);
    const s = sink([r.url], { token: NOACK_TOKEN, useAck: false, index: 'nope' });
    await expect(s.deliver(items(3, 0))).rejects.toThrow(/Incorrect index \(code 7\).*sinks.hec.index/);
  });

  it('useAck on with a token whose acks are off: start() says to set useAck false (code 14)', async () => {
    const r = await receiver();
    const s = sink([r.url], { token: NOACK_TOKEN });
    const err = (await s.start().catch((e: unknown) => e)) as SinkFatalError;
    expect(err).toBeInstanceOf(SinkFatalError);
    expect(err.code).toBe(14);
    expect(err.message).toMatch(/set sinks.hec.useAck: false/);
    const ok = sink([r.url], { token: NOACK_TOKEN, useAck: false, index: undefined, detectionIndex: undefined });
    await ok.start();
    expect((await ok.deliver(items(5))).rejected).toEqual([]);
  });

  it('start() reports an unreachable HEC as SinkUnavailableError naming the URL', async () => {
    const dead = await receiver();
    await dead.close();
    const err = await sink([dead.url]).start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SinkUnavailableError);
    expect((err as Error).message).toContain(dead.url);
    expect((err as Error).message).toMatch(/ECONNREFUSED/);
  });
});

describe('HecSink with several URLs, abort and close', () => {
  it('delivers everything when one of several URLs is down', async () => {
    const dead = await receiver();
    await dead.close();
    const a = await receiver();
    const b = await receiver();
    const s = sink([dead.url, a.url, b.url]);
    await s.start();
    const batch = items(200, 0);
    expect((await s.deliver(batch)).rejected).toEqual([]);
    const ids = new Set([...idsOf(a), ...idsOf(b)]);
    expect(batch.every((it) => ids.has(itemId(it)))).toBe(true);
    expect(a.events().length).toBeGreaterThan(0);
    expect(b.events().length).toBeGreaterThan(0);
  });

  it('moves the load off a URL that answers 503', async () => {
    const busy = await receiver();
    const good = await receiver();
    await busy.faults.set({ outage: 'busy' });
    const s = sink([busy.url, good.url], { retry: { baseMs: 5, maxMs: 50, jitter: true, urlBackoffMs: 5_000 } });
    expect((await s.deliver(items(200, 0))).rejected).toEqual([]);
    expect(idsOf(good).size).toBe(200);
    expect(busy.requests().length).toBeLessThanOrEqual(3);
  });

  it('rejects with an AbortError when the signal aborts before delivery is confirmed', async () => {
    const r = await receiver();
    await r.faults.set({ outage: 'refuse' });
    const s = sink([r.url]);
    const ac = new AbortController();
    const p = s.deliver(items(5, 0), ac.signal);
    setTimeout(() => ac.abort(), 100);
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('close() fails deliveries still unconfirmed after closeTimeoutMs with SinkUnavailableError', async () => {
    const r = await receiver();
    await r.faults.set({ outage: 'busy' });
    const s = sink([r.url], { closeTimeoutMs: 150 });
    const p = s.deliver(items(5, 0));
    const settled = p.catch((e: unknown) => e);
    await new Promise((res) => setTimeout(res, 50));
    await s.close();
    expect(await settled).toBeInstanceOf(SinkUnavailableError);
    await expect(s.deliver(items(1, 0))).rejects.toBeInstanceOf(SinkUnavailableError);
  });
});

describe('HecSink never shows the token', () => {
  it('keeps the token out of every log line and error, through faults and fatal answers', async () => {
    const r = await receiver({ seed: 11 });
    const cap = logCapture();
    const s = sink([r.url], {}, cap.logger);
    await s.start();
    await r.faults.set({ busyRate: 0.3, resetRate: 0.1, serverErrorRate: 0.1, faultAckRequests: true });
    await s.deliver(items(100, 0));
    await r.faults.set({ busyRate: 0, resetRate: 0, serverErrorRate: 0, rejectEvent: (e) => (e.event as { properties?: { id?: string } }).properties?.id === 'ev-4' });
    const res = await s.deliver(items(10, 0));
    expect(res.rejected).toHaveLength(1);
    const errors: string[] = res.rejected.map((x) => x.reason);
    const dead = await receiver();
    await dead.close();
    const s2 = sink([dead.url], {}, cap.logger);
    errors.push(String(await s2.start().catch((e: Error) => `${e.message} ${e.stack}`)));
    const s3 = sink([r.url], { token: `${TOKEN}x` }, cap.logger);
    errors.push(String(await s3.deliver(items(2, 0)).catch((e: Error) => `${e.message} ${e.stack}`)));
    expect(cap.text().length).toBeGreaterThan(0);
    expect(cap.text()).not.toContain(TOKEN);
    for (const e of errors) expect(e).not.toContain(TOKEN);
  });
});

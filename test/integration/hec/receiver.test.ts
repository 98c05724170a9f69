/**
 * The HEC test receiver itself: every HEC code of reference/splunk.md §1, batch parsing, gzip, limits, acks and
 * each fault, so the sink tests built on it test against Splunk's behaviour and not against a lenient fake.
 */
import { gzipSync, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHecReceiver, type HecReceiver } from '../../support/hec-receiver/index.js';

const CH = '11111111-2222-3333-4444-555555555555';
const CH2 = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

let r: HecReceiver;

beforeAll(async () => {
  r = await startHecReceiver({
    tokens: [
      { token: 'plain-token' },
      { token: 'ack-token', useAck: true },
      { token: 'off-token', disabled: true },
      { token: 'idx-token', allowedIndexes: ['entra', 'alerts'], defaultIndex: 'entra' },
    ],
    maxContentLength: 2000,
    maxEventSize: 500,
  });
});
afterAll(() => r.close());
beforeEach(async () => {
  await r.faults.clear();
  r.clear();
});

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

async function call(
  path: string,
  body: string | Buffer | undefined,
  headers: Record<string, string> = {},
  method = 'POST',
): Promise<Reply> {
  const res = await fetch(r.url + path, { method, body, headers });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const auth = (t: string) => ({ Authorization: `Splunk ${t}` });
const ev = (o: Record<string, unknown>) => JSON.stringify(o);

describe('HEC receiver: auth codes', () => {
  it('answers 0 Success for a good token', async () => {
    const res = await call('/services/collector/event', ev({ event: 'x' }), auth('plain-token'));
    expect(res).toEqual({ status: 200, body: { text: 'Success', code: 0 } });
  });
  it('code 2 when the token is missing', async () => {
    expect(await call('/services/collector/event', ev({ event: 'x' }))).toEqual({
      status: 401,
      body: { text: 'Token is required', code: 2 },
    });
  });
  it('code 3 when the Authorization header is not "Splunk <token>"', async () => {
    const res = await call('/services/collector/event', ev({ event: 'x' }), { Authorization: 'Bearer plain-token' });
    expect(res).toEqual({ status: 401, body: { text: 'Invalid authorization', code: 3 } });
  });
  it('code 4 for an unknown token', async () => {
    const res = await call('/services/collector/event', ev({ event: 'x' }), auth('nope'));
    expect(res).toEqual({ status: 403, body: { text: 'Invalid token', code: 4 } });
  });
  it('code 1 for a disabled token', async () => {
    const res = await call('/services/collector/event', ev({ event: 'x' }), auth('off-token'));
    expect(res).toEqual({ status: 403, body: { text: 'Token disabled', code: 1 } });
  });
  it('code 16 for a query-string token', async () => {
    const res = await call('/services/collector/event?token=plain-token', ev({ event: 'x' }));
    expect(res).toEqual({ status: 400, body: { text: 'Query string authorization is not enabled', code: 16 } });
  });
});

describe('HEC receiver: endpoints and batches', () => {
  it('accepts the three event paths and stores envelopes with their metadata', async () => {
    for (const p of ['/services/collector', '/services/collector/event', '/services/collector/event/1.0']) {
      expect((await call(p, ev({ event: { p }, sourcetype: 'st', time: 1433188255.5, fields: { a: 'b' } }), auth('plain-token'))).status).toBe(200);
    }
    expect(r.events()).toHaveLength(3);
    expect(r.events()[0]).toMatchObject({ index: 'main', sourcetype: 'st', time: 1433188255.5, fields: { a: 'b' }, event: { p: '/services/collector' } });
  });
  it('parses a concatenated batch (no array, no commas), whitespace between objects allowed', async () => {
    const body = `${ev({ event: 'a' })}${ev({ event: 'b' })}\n  ${ev({ event: { s: 'x}{"' } })}`;
    expect((await call('/services/collector/event', body, auth('plain-token'))).status).toBe(200);
    expect(r.events().map((e) => e.event)).toEqual(['a', 'b', { s: 'x}{"' }]);
  });
  it('code 6 with invalid-event-number for a JSON array or commas', async () => {
    expect(await call('/services/collector/event', `[${ev({ event: 'a' })}]`, auth('plain-token'))).toEqual({
      status: 400,
      body: { text: 'Invalid data format', code: 6, 'invalid-event-number': 0 },
    });
    const commas = `${ev({ event: 'a' })},${ev({ event: 'b' })}`;
    expect((await call('/services/collector/event', commas, auth('plain-token'))).body).toMatchObject({ code: 6, 'invalid-event-number': 1 });
    expect(r.events()).toHaveLength(0);
  });
  it('code 5 for an empty body', async () => {
    expect(await call('/services/collector/event', '  \n', auth('plain-token'))).toEqual({ status: 400, body: { text: 'No data', code: 5 } });
  });
  it('code 12 when event is missing, 13 when blank', async () => {
    const miss = `${ev({ event: 'ok' })}${ev({ time: 1 })}`;
    expect(await call('/services/collector/event', miss, auth('plain-token'))).toEqual({ status: 400, body: { text: 'Event field is required', code: 12 } });
    expect(await call('/services/collector/event', ev({ event: '  ' }), auth('plain-token'))).toEqual({ status: 400, body: { text: 'Event field cannot be blank', code: 13 } });
  });
  it('code 7 for an index the token may not write to; default index of the token otherwise', async () => {
    expect(await call('/services/collector/event', `${ev({ event: 'a', index: 'entra' })}${ev({ event: 'b', index: 'main' })}`, auth('idx-token'))).toEqual({
      status: 400,
      body: { text: 'Incorrect index', code: 7, 'invalid-event-number': 1 },
    });
    expect((await call('/services/collector/event', ev({ event: 'c' }), auth('idx-token'))).status).toBe(200);
    expect(r.events()).toEqual([expect.objectContaining({ index: 'entra', event: 'c' })]);
  });
  it('code 15 for nested indexed fields', async () => {
    expect(await call('/services/collector/event', ev({ event: 'a', fields: { x: { y: 1 } } }), auth('plain-token'))).toEqual({
      status: 400,
      body: { text: 'Error in handling indexed fields', code: 15 },
    });
    expect((await call('/services/collector/event', ev({ event: 'a', fields: { x: ['1', '2'] } }), auth('plain-token'))).status).toBe(200);
  });
  it('code 6 for an event bigger than maxEventSize', async () => {
    const body = `${ev({ event: 'a' })}${ev({ event: 'x'.repeat(600) })}`;
    expect((await call('/services/collector/event', body, auth('plain-token'))).body).toMatchObject({ code: 6, 'invalid-event-number': 1 });
  });
  it('gzip is accepted, deflate is refused, the limit applies after decompression (413)', async () => {
    const batch = ev({ event: 'g1' }) + ev({ event: 'g2' });
    expect((await call('/services/collector/event', gzipSync(batch), { ...auth('plain-token'), 'Content-Encoding': 'gzip' })).status).toBe(200);
    expect(r.requests().at(-1)).toMatchObject({ gzip: true, events: 2 });
    expect((await call('/services/collector/event', deflateSync(batch), { ...auth('plain-token'), 'Content-Encoding': 'deflate' })).status).toBe(415);
    const big = ev({ event: 'y'.repeat(3000) });
    const zipped = gzipSync(big);
    expect(zipped.length).toBeLessThan(2000);
    expect((await call('/services/collector/event', zipped, { ...auth('plain-token'), 'Content-Encoding': 'gzip' })).status).toBe(413);
    expect((await call('/services/collector/event', big, auth('plain-token'))).status).toBe(413);
    expect(r.events().map((e) => e.event)).toEqual(['g1', 'g2']);
  });
  it('raw endpoint stores one event per line and needs a channel', async () => {
    expect((await call('/services/collector/raw', 'l1\nl2\n', auth('plain-token'))).body).toMatchObject({ code: 10 });
    expect((await call('/services/collector/raw?sourcetype=s', 'l1\nl2\n', { ...auth('plain-token'), 'X-Splunk-Request-Channel': CH })).status).toBe(200);
    expect(r.events()).toEqual([expect.objectContaining({ event: 'l1', sourcetype: 's', endpoint: 'raw' }), expect.objectContaining({ event: 'l2' })]);
  });
  it('health answers 17, unknown paths 404', async () => {
    expect(await call('/services/collector/health', undefined, {}, 'GET')).toEqual({ status: 200, body: { text: 'HEC is healthy', code: 17 } });
    expect((await call('/services/nope', 'x', auth('plain-token'))).status).toBe(404);
  });
});

describe('HEC receiver: indexer acknowledgment', () => {
  const ackHeaders = { ...auth('ack-token'), 'X-Splunk-Request-Channel': CH };
  it('code 10 without channel, 11 when the channel is not a GUID', async () => {
    expect(await call('/services/collector/event', ev({ event: 'a' }), auth('ack-token'))).toEqual({ status: 400, body: { text: 'Data channel is missing', code: 10 } });
    expect(await call('/services/collector/event', ev({ event: 'a' }), { ...auth('ack-token'), 'X-Splunk-Request-Channel': 'abc' })).toEqual({
      status: 400,
      body: { text: 'Invalid data channel', code: 11 },
    });
  });
  it('ackIds count per channel; true is returned once; ?channel= works too', async () => {
    const a = await call('/services/collector/event', ev({ event: 'a' }), ackHeaders);
    const b = await call('/services/collector/event', ev({ event: 'b' }), ackHeaders);
    const c = await call(`/services/collector/event?channel=${CH2}`, ev({ event: 'c' }), auth('ack-token'));
    expect([a.body.ackId, b.body.ackId, c.body.ackId]).toEqual([0, 1, 0]);
    const q1 = await call('/services/collector/ack', JSON.stringify({ acks: [0, 1, 5] }), ackHeaders);
    expect(q1).toEqual({ status: 200, body: { acks: { '0': true, '1': true, '5': false } } });
    const q2 = await call('/services/collector/ack', JSON.stringify({ acks: [0] }), ackHeaders);
    expect(q2.body).toEqual({ acks: { '0': false } });
  });
  it('code 14 when the token has acks off', async () => {
    expect(await call('/services/collector/ack', JSON.stringify({ acks: [0] }), { ...auth('plain-token'), 'X-Splunk-Request-Channel': CH })).toEqual({
      status: 400,
      body: { text: 'ACK is disabled', code: 14 },
    });
  });
  it('stuck channels never confirm and lose their events; ackDelayMs delays confirmation', async () => {
    await r.faults.set({ ackStuckChannels: [CH2], ackDelayMs: 150 });
    const stuck = await call('/services/collector/event', ev({ event: 'lost' }), { ...auth('ack-token'), 'X-Splunk-Request-Channel': CH2 });
    const ok = await call('/services/collector/event', ev({ event: 'kept' }), ackHeaders);
    const early = await call('/services/collector/ack', JSON.stringify({ acks: [ok.body.ackId] }), ackHeaders);
    expect(Object.values(early.body.acks as object)).toEqual([false]);
    await new Promise((res) => setTimeout(res, 200));
    const late = await call('/services/collector/ack', JSON.stringify({ acks: [ok.body.ackId] }), ackHeaders);
    expect(Object.values(late.body.acks as object)).toEqual([true]);
    const never = await call('/services/collector/ack', JSON.stringify({ acks: [stuck.body.ackId] }), { ...auth('ack-token'), 'X-Splunk-Request-Channel': CH2 });
    expect(Object.values(never.body.acks as object)).toEqual([false]);
    expect(r.events().map((e) => e.event)).toEqual(['kept']);
  });
});

describe('HEC receiver: faults', () => {
  it('busyRate answers 503 code 9 at about the rate, seeded', async () => {
    await r.faults.set({ busyRate: 0.5 });
    const codes: unknown[] = [];
    for (let i = 0; i < 40; i++) codes.push((await call('/services/collector/event', ev({ event: i }), auth('plain-token'))).body.code);
    const busy = codes.filter((c) => c === 9).length;
    expect(busy).toBeGreaterThan(8);
    expect(busy).toBeLessThan(32);
    expect(r.events()).toHaveLength(40 - busy);
  });
  it('serverErrorRate answers 500 code 8, tooLargeRate 413', async () => {
    await r.faults.set({ serverErrorRate: 1 });
    expect(await call('/services/collector/event', ev({ event: 1 }), auth('plain-token'))).toEqual({ status: 500, body: { text: 'Internal server error', code: 8 } });
    await r.faults.set({ serverErrorRate: 0, tooLargeRate: 1 });
    expect((await call('/services/collector/event', ev({ event: 1 }), auth('plain-token'))).status).toBe(413);
  });
  it('resetRate drops the connection without an answer', async () => {
    await r.faults.set({ resetRate: 1 });
    await expect(call('/services/collector/event', ev({ event: 1 }), auth('plain-token'))).rejects.toThrow();
    expect(r.events()).toHaveLength(0);
  });
  it('delayMs slows answers', async () => {
    await r.faults.set({ delayMs: 120 });
    const t0 = Date.now();
    await call('/services/collector/health', undefined, {}, 'GET');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100);
  });
  it('outage refuse closes the port, busy answers 503 to everything; recovery works on the same port', async () => {
    await r.faults.set({ outage: 'refuse' });
    await expect(call('/services/collector/health', undefined, {}, 'GET')).rejects.toThrow();
    await r.faults.set({ outage: 'busy' });
    expect((await call('/services/collector/event', ev({ event: 1 }), auth('plain-token'))).body.code).toBe(9);
    expect((await call('/services/collector/health', undefined, {}, 'GET')).body.code).toBe(18);
    await r.faults.set({ outage: null });
    expect((await call('/services/collector/event', ev({ event: 1 }), auth('plain-token'))).status).toBe(200);
  });
  it('unhealthy makes health answer 503 code 18', async () => {
    await r.faults.set({ unhealthy: true });
    expect(await call('/services/collector/health', undefined, {}, 'GET')).toEqual({ status: 503, body: { text: 'HEC is unhealthy, queues are full', code: 18 } });
  });
  it('rejectEvent refuses matching events with code 6 and their number', async () => {
    await r.faults.set({ rejectEvent: (e) => e.event === 'bad' });
    const body = ev({ event: 'a' }) + ev({ event: 'b' }) + ev({ event: 'bad' });
    expect((await call('/services/collector/event', body, auth('plain-token'))).body).toEqual({ text: 'Invalid data format', code: 6, 'invalid-event-number': 2 });
  });
});

/**
 * HEC over TLS: the certificate is verified by default; an unknown CA stops start() with a message saying to set
 * tls.caFile; with the CA file (or, for a lab, rejectUnauthorized false) delivery works. hec check says the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SinkFatalError } from '../../../src/errors.js';
import { checkHec } from '../../../src/sinks/hec/check.js';
import { HecSink } from '../../../src/sinks/hec/index.js';
import { startHecReceiver, testTlsMaterial, type HecReceiver } from '../../support/hec-receiver/index.js';
import { items } from './fixtures.js';

const TOKEN = '7e57e57e-aaaa-4bbb-8ccc-dddddddddddd';
let r: HecReceiver;
const tls = testTlsMaterial();

beforeAll(async () => {
  r = await startHecReceiver({ tokens: [{ token: TOKEN, useAck: true }], tls: { key: tls.key, cert: tls.cert } });
});
afterAll(() => r.close());

const base = { token: TOKEN, ackPollIntervalMs: 20, ackTimeoutMs: 2000, batch: { flushIntervalMs: 5, maxEvents: 50, maxBytes: 1_000_000 } };

describe('HEC sink over TLS', () => {
  it('refuses an HEC certificate from an unknown CA, saying to set tls.caFile', async () => {
    expect(r.url.startsWith('https://')).toBe(true);
    const s = new HecSink({ ...base, urls: [r.url] });
    try {
      const err = await s.start().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SinkFatalError);
      expect((err as Error).message).toMatch(/TLS with https:\/\/127\.0\.0\.1:\d+ failed .*sinks.hec.tls.caFile/);
    } finally {
      await s.close();
    }
  });

  it('delivers with the CA file, and with verification off', async () => {
    for (const tlsConfig of [{ caFile: tls.caFile }, { rejectUnauthorized: false }]) {
      r.clear();
      const s = new HecSink({ ...base, urls: [r.url], tls: tlsConfig });
      try {
        await s.start();
        expect((await s.deliver(items(30))).rejected).toEqual([]);
        expect(r.events()).toHaveLength(33);
      } finally {
        await s.close();
      }
    }
  });

  it('hec check reports verified TLS, or the CA problem', async () => {
    const ok = await checkHec({ urls: [r.url], token: TOKEN, tls: { caFile: tls.caFile } }, { probeEvent: false });
    expect(ok.ok).toBe(true);
    expect(ok.urls[0].tls).toBe('verified');
    const bad = await checkHec({ urls: [r.url], token: TOKEN }, { probeEvent: false });
    expect(bad.ok).toBe(false);
    expect(bad.problems[0]).toMatch(/TLS .* failed .*tls.caFile/);
  });
});

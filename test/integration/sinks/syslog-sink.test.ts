import { afterEach, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { SyslogSink } from '../../../src/sinks/syslog/syslog-sink.js';
import { syslogSinkConfigSchema, type SyslogSinkConfig } from '../../../src/sinks/syslog/config.js';
import type { OutputItem } from '../../../src/sinks/types.js';
import { startSyslogListener, TEST_CA_FILE, type SyslogListener } from '../../support/syslog-listener.js';
import { makeDetection, makeEvent } from '../../support/output-items.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function config(listener: SyslogListener, extra: Record<string, unknown> = {}): SyslogSinkConfig {
  return syslogSinkConfigSchema.parse({
    host: '127.0.0.1',
    port: listener.port,
    confirmAfterMs: 100,
    reconnectBackoffMs: { base: 20, max: 200 },
    ...extra,
  });
}

async function sinkFor(cfg: SyslogSinkConfig): Promise<SyslogSink> {
  const sink = new SyslogSink({ config: cfg, productVersion: '0.1.0' });
  cleanups.push(() => sink.close());
  await sink.start();
  return sink;
}

function detections(from: number, n: number): OutputItem[] {
  return Array.from({ length: n }, (_, i) => ({ type: 'detection' as const, detection: makeDetection(from + i) }));
}

const idOf = (msg: string) => /externalId=(det-\d+)/.exec(msg)?.[1];

describe('syslog sink', () => {
  it('sends LEEF detections over TCP in octet-counted RFC 5424 frames', async () => {
    const listener = await startSyslogListener('tcp');
    cleanups.push(() => listener.stop());
    const sink = await sinkFor(config(listener, { protocol: 'tcp', format: 'leef' }));
    await sink.deliver(detections(0, 3));
    await sink.deliver([{ type: 'event', event: makeEvent(1) }]); // events are off by default
    expect(listener.errors).toEqual([]);
    expect(listener.messages).toHaveLength(3);
    expect(listener.messages[0]).toMatch(/^<84>1 2026-11-02T10:00:00\.000Z \S+ entrawatch \d+ detection - LEEF:2\.0\|entrawatch\|entrawatch\|0\.1\.0\|ca4_failed_signins_burst\|x09\|/);
    expect(listener.messages.map(idOf)).toEqual(['det-0', 'det-1', 'det-2']);
  });

  it('sends CEF over TLS with certificate verification against the configured CA', async () => {
    const listener = await startSyslogListener('tls');
    cleanups.push(() => listener.stop());
    const sink = await sinkFor(config(listener, { protocol: 'tls', format: 'cef', include: { detections: true, events: true }, tls: { caFile: TEST_CA_FILE } }));
    await sink.deliver([...detections(0, 2), { type: 'event', event: makeEvent(7) }]);
    expect(listener.messages).toHaveLength(3);
    expect(listener.messages[0]).toContain('CEF:0|entrawatch|entrawatch|0.1.0|ca4_failed_signins_burst|Failed sign-ins burst|5|');
    expect(listener.messages[2]).toContain('externalId=ev-7');
  });

  it('refuses a receiver whose certificate it cannot verify (verification is on by default)', async () => {
    const listener = await startSyslogListener('tls');
    cleanups.push(() => listener.stop());
    const sink = new SyslogSink({ config: config(listener, { protocol: 'tls' }), productVersion: '0.1.0' });
    cleanups.push(() => sink.close());
    await expect(sink.start()).rejects.toThrow(/certificate/i);
    expect(listener.messages).toEqual([]);
  });

  it('loses nothing when the listener restarts mid-stream', async () => {
    const listener = await startSyslogListener('tcp');
    cleanups.push(() => listener.stop());
    const sink = await sinkFor(config(listener, { protocol: 'tcp' }));
    const total = 400;
    const delivering: Promise<unknown>[] = [];
    for (let i = 0; i < total; i += 20) {
      delivering.push(sink.deliver(detections(i, 20)));
      if (i === 100) {
        await listener.stop();
        await sleep(150);
        await listener.start();
      }
      await sleep(5);
    }
    await Promise.all(delivering);
    const got = new Set(listener.messages.map(idOf));
    const missing = Array.from({ length: total }, (_, i) => `det-${i}`).filter((id) => !got.has(id));
    expect(missing).toEqual([]);
    expect(listener.errors).toEqual([]);
  });
});

/**
 * Benchmark: HEC sink throughput, events/s and MB/s (uncompressed) to the local HEC test receiver, with indexer
 * acknowledgment on and gzip on, default batch size (1 MB / 500 events), 4 requests in flight.
 * The receiver runs in the same process (it parses, validates and stores every event), so the figure is a floor
 * for the sink alone. Deliveries of 1,000 events are kept `--concurrency` deep, as a pipeline with several
 * partitions in flight would. The ack poll interval is shortened (default 100 ms instead of 10 s) so a short run
 * measures the sending path, not the wait for Splunk's indexing.
 * Also reports events per CPU second of the process (sink + receiver), steadier than wall time on a shared host.
 * Prints the figures and writes bench/results/hec.json.
 * Usage: npx tsx bench/hec.ts [--events 30000] [--concurrency 8] [--poll 100]
 */
import { loadavg } from 'node:os';
import type { EntraEvent } from '../src/normalize/event.js';
import { HecSink } from '../src/sinks/hec/index.js';
import type { OutputItem } from '../src/sinks/types.js';
import { startHecReceiver } from '../test/support/hec-receiver/index.js';
import { sized, writeResult } from './lib/results.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const EVENTS = arg('events', sized(30_000, 10_000));
const CONCURRENCY = arg('concurrency', 8);
const POLL_MS = arg('poll', 100);
const PER_DELIVERY = 1000;
const TOKEN = '6d2a0c8e-3b1f-4a5e-9c7d-2f8e1b0a9c6d';
const T0 = Date.UTC(2026, 10, 1);

function signIn(i: number): EntraEvent {
  const raw = {
    time: new Date(T0 + i * 250).toISOString(),
    resourceId: '/tenants/8f1a2b3c-0000-4000-8000-00000000b2c0/providers/Microsoft.aadiam',
    operationName: 'Sign-in activity',
    operationVersion: '1.0',
    category: 'SignInLogs',
    tenantId: '8f1a2b3c-0000-4000-8000-00000000b2c0',
    resultType: i % 7 === 0 ? '50126' : '0',
    resultSignature: 'None',
    durationMs: 0,
    callerIpAddress: `20.${i % 250}.${(i >> 8) % 250}.${i % 13}`,
    correlationId: `c0a8${i.toString(16).padStart(4, '0')}-0000-4000-8000-000000000000`,
    identity: `User ${i % 5000}`,
    Level: 4,
    location: 'FR',
    properties: {
      id: `e0a8${i.toString(16).padStart(4, '0')}-1111-4000-8000-000000000000`,
      createdDateTime: new Date(T0 + i * 250).toISOString(),
      userDisplayName: `User ${i % 5000}`,
      userPrincipalName: `user${i % 5000}@contoso.onmicrosoft.com`,
      userId: `u-${i % 5000}`,
      appId: '00000000-aaaa-4000-8000-000000000001',
      appDisplayName: 'Contoso Web',
      ipAddress: `20.${i % 250}.${(i >> 8) % 250}.${i % 13}`,
      status: { errorCode: i % 7 === 0 ? 50126 : 0, failureReason: i % 7 === 0 ? 'Invalid username or password.' : 'Other.' },
      clientAppUsed: 'Browser',
      userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
      deviceDetail: { deviceId: '', operatingSystem: 'Windows 10', browser: 'Chrome 120.0.0' },
      location: { city: 'Paris', state: 'Paris', countryOrRegion: 'FR', geoCoordinates: { latitude: 48.85, longitude: 2.35 } },
      conditionalAccessStatus: 'notApplied',
      isInteractive: true,
      tokenIssuerType: 'AzureAD',
      riskLevelAggregated: 'none',
      riskState: 'none',
      authenticationRequirement: 'singleFactorAuthentication',
    },
  };
  return {
    id: raw.properties.id,
    time: T0 + i * 250,
    kind: 'signin',
    category: 'SignInLogs',
    raw,
    format: 'azure-monitor',
    cim: { user: raw.properties.userPrincipalName, src_ip: raw.callerIpAddress, action: i % 7 === 0 ? 'failure' : 'success' },
    fields: raw,
  };
}

async function main(): Promise<void> {
  const receiver = await startHecReceiver({ tokens: [{ token: TOKEN, useAck: true }] });
  const sink = new HecSink({
    urls: [receiver.url],
    token: TOKEN,
    index: 'main',
    useAck: true,
    gzip: true,
    ackPollIntervalMs: POLL_MS,
    ackTimeoutMs: 60_000,
  });
  await sink.start();
  const all: OutputItem[] = Array.from({ length: EVENTS }, (_, i) => ({ type: 'event', event: signIn(i) }));
  const chunks: OutputItem[][] = [];
  for (let i = 0; i < all.length; i += PER_DELIVERY) chunks.push(all.slice(i, i + PER_DELIVERY));

  // warm-up
  await sink.deliver(chunks[0]);
  receiver.clear();

  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  let next = 0;
  const workers = Array.from({ length: CONCURRENCY }, async () => {
    while (next < chunks.length) {
      const chunk = chunks[next++];
      const res = await sink.deliver(chunk);
      if (res.rejected.length > 0) throw new Error(`unexpected rejections: ${res.rejected[0].reason}`);
    }
  });
  await Promise.all(workers);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const requests = receiver.requests().filter((r) => r.path === '/services/collector/event');
  const uncompressed = requests.reduce((n, r) => n + r.bytes, 0);
  const stored = receiver.events().length;
  await sink.close();
  await receiver.close();
  if (stored < EVENTS) throw new Error(`lost events: ${stored} of ${EVENTS} stored`);

  const result = {
    benchmark: 'hec',
    date: new Date().toISOString(),
    node: process.version,
    events: EVENTS,
    eventsPerSecond: Math.round(EVENTS / seconds),
    uncompressedMBPerSecond: Number((uncompressed / seconds / 1e6).toFixed(2)),
    averageEventBytes: Math.round(uncompressed / EVENTS),
    requests: requests.length,
    eventsPerRequest: Math.round(EVENTS / requests.length),
    seconds: Number(seconds.toFixed(2)),
    /** events per CPU second of this process (sink + receiver together): steadier than wall time on a busy host */
    eventsPerCpuSecond: Math.round(EVENTS / cpuSeconds),
    loadAverage1m: Number(loadavg()[0].toFixed(2)),
    settings: {
      useAck: true,
      gzip: true,
      batchMaxBytes: sink.config.batch.maxBytes,
      batchMaxEvents: sink.config.batch.maxEvents,
      maxInFlightRequests: sink.config.maxInFlightRequests,
      ackPollIntervalMs: POLL_MS,
      concurrentDeliveries: CONCURRENCY,
      eventsPerDelivery: PER_DELIVERY,
    },
    note: 'receiver in the same process on a shared 2-core machine: a floor for the sink alone',
  };
  console.log(
    `hec: ${result.eventsPerSecond} events/s, ${result.uncompressedMBPerSecond} MB/s uncompressed ` +
      `(${EVENTS} events of ~${result.averageEventBytes} B, ${result.requests} requests, acks on, gzip on, ${result.seconds} s); ` +
      `${result.eventsPerCpuSecond} events per CPU second (sink + receiver), load average ${result.loadAverage1m}`,
  );
  writeResult('hec', result);
}

await main();

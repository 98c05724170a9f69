/**
 * End-to-end worker throughput: Kafka -> worker (decode, normalize, every rule in rules/ with Redis state) -> HEC
 * test receiver with indexer acks, against a passthrough baseline on the same topic (consume -> JSON.parse ->
 * JSON.stringify -> the same HEC sink, no rules). A run ends when the group's committed offsets reach the log end,
 * i.e. when HEC acknowledged every record. Prints records/s of both, the ratio and the worker's peak RSS, and writes
 * bench/results/e2e.json. The HEC receiver and the producer of the workload run in child processes, so only the
 * worker's memory is counted.
 *
 * Needs Kafka and Redis (npm run services:start): ENTRAWATCH_TEST_KAFKA_BROKERS (default 127.0.0.1:19092),
 * ENTRAWATCH_TEST_REDIS_URL (default redis://127.0.0.1:6390).
 * Run: npx tsx bench/e2e.ts [--records 60000]
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpus, tmpdir } from 'node:os';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { createInterface } from 'node:readline';
import { stringify as stringifyYaml } from 'yaml';
import { pino } from 'pino';
import { createRuleEngine } from '../src/runtime/create-engine.js';
import { RedisCounterStore } from '../src/state/redis/redis-counter-store.js';
import { decodeMessage, type DecodedRecord } from '../src/decode/index.js';
import { normalizeRecord } from '../src/normalize/index.js';
import type { EntraEvent } from '../src/normalize/event.js';
import { HecSink } from '../src/sinks/hec/sink.js';
import { WorkerMetrics } from '../src/observability/metrics.js';
import { workerConfigSchema, type WorkerConfig } from '../src/pipeline/config.js';
import { createRecordReader, type RecordReader } from '../src/pipeline/record-reader.js';
import { runWorker, type WorkerDeps } from '../src/pipeline/worker.js';
import type { DetectionEngine } from '../src/pipeline/stream-pipeline.js';
import { createTopic, deleteTopics, endOffsets, produceMessages, testKafka, type TestMessage } from '../test/support/kafka.js';
import { exampleConfig } from './lib/sample-events.js';
import { sized, writeResult } from './lib/results.js';

process.env.ENTRAWATCH_TEST_KAFKA_BROKERS ??= '127.0.0.1:19092';
const REDIS_URL = process.env.ENTRAWATCH_TEST_REDIS_URL ?? 'redis://127.0.0.1:6390';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const argRecords = process.argv.indexOf('--records');
const RECORDS = argRecords > 0 ? Number(process.argv[argRecords + 1]) : sized(60_000, 12_000);
const PER_MESSAGE = 100;
const PARTITIONS = 3;
const TOKEN = '00000000-1111-2222-3333-444444444444';
/** knobs (environment) for trying settings; the defaults are what bench/results/e2e.json records */
const KNOBS = {
  ackPollIntervalMs: Number(process.env.E2E_ACK_POLL_MS ?? 100),
  maxInFlightBytes: Number(process.env.E2E_INFLIGHT_MB ?? 8) * 1024 * 1024,
  partitionsConsumedConcurrently: Number(process.env.E2E_PCC ?? 1),
  maxInFlightRequests: Number(process.env.E2E_HEC_REQUESTS ?? 8),
  batchMaxBytes: Number(process.env.E2E_HEC_BATCH_BYTES ?? 1_000_000),
  gzipLevel: Number(process.env.E2E_GZIP_LEVEL ?? 1),
  /**
   * kafkajs maxBytes and maxBytesPerPartition. A fetched batch stays in memory while it is processed, so these
   * bound the worker's RSS: 2 MB / 256 KB peaks near 270-280 MB here, 4 MB / 1 MB near 370 MB, at the same rate.
   */
  fetchMaxBytes: Number(process.env.E2E_FETCH_MB ?? 2) * 1024 * 1024,
  fetchMaxBytesPerPartition: Number(process.env.E2E_FETCH_PART_MB ?? 0.25) * 1024 * 1024,
  only: process.env.E2E_ONLY,
};
const logger = pino({ level: process.env.ENTRAWATCH_LOG_LEVEL ?? 'warn' });

/** sample records of samples/eventhubs (sign-ins and audits), re-id'd so each record is distinct */
function loadSampleRecords(): Record<string, unknown>[] {
  const files = ['insights-logs-signinlogs-2026-11-02.json.gz', 'insights-logs-auditlogs-2026-11-02.json.gz'];
  const out: Record<string, unknown>[] = [];
  for (const f of files) {
    const text = gunzipSync(readFileSync(join(ROOT, 'samples/eventhubs', f))).toString('utf8');
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const env = JSON.parse(line) as { records: Record<string, unknown>[] };
      out.push(...env.records);
    }
  }
  return out;
}

function buildMessages(samples: Record<string, unknown>[]): { messages: TestMessage[]; bytes: number } {
  const messages: TestMessage[] = [];
  let bytes = 0;
  for (let m = 0; m * PER_MESSAGE < RECORDS; m++) {
    const records: Record<string, unknown>[] = [];
    for (let r = 0; r < PER_MESSAGE; r++) {
      const i = m * PER_MESSAGE + r;
      const s = samples[(i * 7919) % samples.length]; // interleave sign-ins and audits
      const props = { ...(s.properties as Record<string, unknown>), id: `bench-${i}` };
      records.push({ ...s, properties: props });
    }
    const value = JSON.stringify({ records });
    bytes += value.length;
    messages.push({ key: null, value, partition: m % PARTITIONS });
  }
  return { messages, bytes };
}

/**
 * The HEC test receiver in a child process. It drops what it stores every second (memory stays flat) but counts every
 * event first; count() asks it for the total, so each run can check that every record reached HEC.
 */
async function startReceiverChild(): Promise<{ url: string; count(): Promise<number>; stop(): void }> {
  const code = `
    import { createInterface } from 'node:readline';
    import { startHecReceiver } from ${JSON.stringify(join(ROOT, 'test/support/hec-receiver/index.ts'))};
    const r = await startHecReceiver({ tokens: [{ token: ${JSON.stringify(TOKEN)}, useAck: true }] });
    let dropped = 0;
    setInterval(() => { dropped += r.events().length; r.clear(); }, 1000);
    createInterface({ input: process.stdin }).on('line', () => process.stdout.write((dropped + r.events().length) + '\\n'));
    process.stdout.write(r.url + '\\n');
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    stdio: ['pipe', 'pipe', 'inherit'],
    cwd: ROOT,
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const exited = new Promise<never>((_, reject) => child.once('exit', (c) => reject(new Error(`HEC receiver exited with ${c}`))));
  exited.catch(() => undefined);
  const nextLine = async (): Promise<string> => {
    const line = await Promise.race([lines.next(), exited]);
    if (line.done) throw new Error('HEC receiver closed its output');
    return line.value.trim();
  };
  const url = await nextLine();
  return {
    url,
    count: async () => {
      child.stdin!.write('count\n');
      return Number(await nextLine());
    },
    stop: () => child.kill('SIGTERM'),
  };
}

/** Fails the benchmark when a run delivered fewer events to HEC than the topic holds records (a lost event). */
async function checkDelivered(name: string, receiver: { count(): Promise<number> }, before: number): Promise<number> {
  const after = await receiver.count();
  if (after - before < RECORDS) throw new Error(`${name}: lost events: HEC received ${after - before} events for ${RECORDS} records`);
  console.log(`${name.padEnd(11)} HEC received ${after - before} events for ${RECORDS} records (raw events and detections)`);
  return after;
}

function config(topic: string, groupId: string): WorkerConfig {
  return workerConfigSchema.parse({
    kafka: {
      brokers: process.env.ENTRAWATCH_TEST_KAFKA_BROKERS!.split(','),
      groupId,
      clientId: groupId,
      topics: [topic],
      fromBeginning: true,
      maxBytesPerPartition: KNOBS.fetchMaxBytesPerPartition,
      maxBytes: KNOBS.fetchMaxBytes,
      maxWaitTimeMs: 100,
      partitionsConsumedConcurrently: KNOBS.partitionsConsumedConcurrently,
    },
    pipeline: { commitIntervalMs: 500, maxInFlightBytes: KNOBS.maxInFlightBytes },
    metrics: { enabled: false },
  });
}

function hecSink(url: string): HecSink {
  return new HecSink(
    {
      urls: [url],
      token: TOKEN,
      useAck: true,
      ackPollIntervalMs: KNOBS.ackPollIntervalMs,
      ackTimeoutMs: 60_000,
      batch: { maxBytes: KNOBS.batchMaxBytes, maxEvents: 1000, flushIntervalMs: 20 },
      maxInFlightRequests: KNOBS.maxInFlightRequests,
      gzipLevel: KNOBS.gzipLevel,
    },
    { logger },
  );
}

/** passthrough: JSON.parse of the envelope, each record wrapped as-is (no decode/normalize/rules) */
const passthroughReader: RecordReader = (body) => {
  const env = JSON.parse(body.toString('utf8')) as { records: Record<string, unknown>[] };
  const events = env.records.map(
    (raw, i): EntraEvent => ({
      id: String(i),
      time: 0,
      kind: 'other',
      category: '',
      raw,
      format: 'azure-monitor',
      cim: {},
      fields: raw,
    }),
  );
  return { events, failures: [] };
};
const noRules: DetectionEngine = { processBatch: async () => [] };

interface RunResult {
  name: string;
  records: number;
  seconds: number;
  recordsPerSecond: number;
  mbPerSecond: number;
  peakRssMb: number;
  detections: number;
  /** CPU seconds of the worker process (main thread, GC and zlib threads) during the run */
  cpuSeconds: number;
  recordsPerCpuSecond: number;
  /** share of the run the worker's event loop was busy */
  eventLoopBusy: number;
  /**
   * CPU seconds of the whole machine during the run (/proc/stat): the worker plus the Kafka broker, Redis and the
   * HEC receiver, which share its cores here. null off Linux.
   */
  machineCpuSeconds: number | null;
  /** machine CPU per record, in µs: what one record costs all the processes of the test together */
  machineCpuUsPerRecord: number | null;
  /** records/s if every core of this machine did nothing else: cores / machine CPU per record */
  machineCeilingRecordsPerSecond: number | null;
}

/** Busy CPU seconds of the whole machine since boot (user, nice, system, irq, softirq, steal), or null off Linux. */
function machineBusySeconds(): number | null {
  try {
    const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    return (user! + nice! + system! + irq! + softirq! + (steal ?? 0)) / 100; // USER_HZ
  } catch {
    return null;
  }
}

/** The group's committed offsets, read over one admin connection (a run polls them every 100 ms). */
async function offsetReader(groupId: string, topic: string): Promise<{ committed(): Promise<Map<number, number>>; close(): Promise<void> }> {
  const admin = testKafka('bench-e2e-admin').admin();
  await admin.connect();
  return {
    async committed() {
      const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return new Map((entry?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
    },
    close: () => admin.disconnect(),
  };
}

const reachedEnd = (committed: Map<number, number>, end: Map<number, number>): boolean => [...end].every(([p, o]) => committed.get(p) === o);

/** The machine-wide figures of a run from its busy CPU seconds (null off Linux). */
function machineFigures(machineCpuSeconds: number | null, records: number): Pick<RunResult, 'machineCpuSeconds' | 'machineCpuUsPerRecord' | 'machineCeilingRecordsPerSecond'> {
  if (machineCpuSeconds === null) return { machineCpuSeconds: null, machineCpuUsPerRecord: null, machineCeilingRecordsPerSecond: null };
  return {
    machineCpuSeconds: Number(machineCpuSeconds.toFixed(2)),
    machineCpuUsPerRecord: Math.round((machineCpuSeconds / records) * 1e6),
    machineCeilingRecordsPerSecond: Math.round((records / machineCpuSeconds) * cpus().length),
  };
}

async function timedRun(name: string, topic: string, deps: WorkerDeps, bytes: number): Promise<RunResult> {
  const groupId = `bench-${name}-${Date.now()}`;
  const end = await endOffsets(topic);
  let peakRss = process.memoryUsage().rss;
  let peakAt: NodeJS.MemoryUsage = process.memoryUsage();
  const rssTimer = setInterval(() => {
    const m = process.memoryUsage();
    if (m.rss > peakRss) [peakRss, peakAt] = [m.rss, m];
  }, 100);
  const offsets = await offsetReader(groupId, topic);
  const handle = runWorker(config(topic, groupId), deps);
  await handle.ready;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const machine0 = machineBusySeconds();
  const elu0 = performance.eventLoopUtilization();
  while (!reachedEnd(await offsets.committed(), end)) await new Promise((r) => setTimeout(r, 100));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const machine1 = machineBusySeconds();
  const machineCpuSeconds = machine0 === null || machine1 === null ? null : machine1 - machine0;
  const eventLoopBusy = performance.eventLoopUtilization(elu0).utilization;
  clearInterval(rssTimer);
  await offsets.close();
  if (process.env.E2E_MEMORY) {
    const mb = (x: number) => Math.round(x / 1e6);
    console.log(`${name} at peak RSS: heap used ${mb(peakAt.heapUsed)} MB of ${mb(peakAt.heapTotal)}, external ${mb(peakAt.external)}, array buffers ${mb(peakAt.arrayBuffers)}`);
  }
  const metricsText = await handle.metrics.render();
  const detections = [...metricsText.matchAll(/^entrawatch_detections_total\{[^}]*\} (\d+)/gm)].reduce((a, m) => a + Number(m[1]), 0);
  await handle.stop();
  return {
    name,
    records: RECORDS,
    seconds: Number(seconds.toFixed(2)),
    recordsPerSecond: Math.round(RECORDS / seconds),
    mbPerSecond: Number((bytes / 1e6 / seconds).toFixed(1)),
    peakRssMb: Math.round(peakRss / 1e6),
    detections,
    cpuSeconds: Number(cpuSeconds.toFixed(2)),
    recordsPerCpuSecond: Math.round(RECORDS / cpuSeconds),
    eventLoopBusy: Number(eventLoopBusy.toFixed(2)),
    ...machineFigures(machineCpuSeconds, RECORDS),
  };
}

/** Reads /proc/<pid>: resident set now and at its peak (VmHWM), and CPU seconds; null off Linux. */
function procStats(pid: number): { rssMb: number; peakRssMb: number; cpuSeconds: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return { rssMb: Math.round(kb('VmRSS') / 1024), peakRssMb: Math.round(kb('VmHWM') / 1024), cpuSeconds: (Number(stat[11]) + Number(stat[12])) / 100 };
  } catch {
    return null;
  }
}

/**
 * The product as an operator runs it: `entrawatch worker --config` in a process of its own, compiled (npm run build
 * first), with the production defaults (fetch sizes, in-flight bytes, HEC batching) and only the addresses set: the
 * example config's approved lists, every bundled rule with its enrichers, Redis state, BullMQ jobs, HEC with acks.
 * Its records/s, CPU and peak RSS (VmHWM) are its own. The run ends when the group's commits reach the log end.
 */
async function cliRun(topic: string, bytes: number, hecUrl: string): Promise<RunResult> {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed');
  const groupId = `bench-cli-${Date.now()}`;
  const example = exampleConfig(ROOT);
  const dir = mkdtempSync(join(tmpdir(), 'ew-e2e-'));
  const configPath = join(dir, 'entrawatch.yaml');
  writeFileSync(
    configPath,
    stringifyYaml({
      placeholders: example.placeholders,
      rules: { ...example.rules, paths: [join(ROOT, 'rules')] },
      kafka: { brokers: process.env.ENTRAWATCH_TEST_KAFKA_BROKERS!.split(','), topics: [topic], groupId, clientId: groupId, fromBeginning: true },
      state: { backend: 'redis', redis: { url: REDIS_URL, keyPrefix: `${groupId}:` } },
      sinks: { hec: { urls: [hecUrl], useAck: true, tls: { rejectUnauthorized: true } } },
      metrics: { enabled: false },
      log: { level: 'warn' },
    }),
  );
  const env = { ...process.env, ENTRAWATCH_SINKS__HEC__TOKEN: TOKEN };
  const child = spawn(process.execPath, [join(ROOT, 'bin/entrawatch.js'), 'worker', '--config', configPath], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const end = await endOffsets(topic);
  const offsets = await offsetReader(groupId, topic);
  // the clock starts when the worker has joined the group and committed its first offsets
  for (;;) {
    const c = await offsets.committed();
    if ([...c.values()].some((o) => o > 0)) break;
    if (child.exitCode !== null) throw new Error(`entrawatch worker exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const first = await offsets.committed();
  const startRecords = [...first.values()].reduce((a, o) => a + Math.max(0, o), 0) * PER_MESSAGE;
  const t0 = performance.now();
  const before = procStats(child.pid!);
  const machine0 = machineBusySeconds();
  while (!reachedEnd(await offsets.committed(), end)) {
    if (child.exitCode !== null) throw new Error(`entrawatch worker exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (performance.now() - t0) / 1000;
  const machine1 = machineBusySeconds();
  const after = procStats(child.pid!);
  await offsets.close();
  child.kill('SIGTERM');
  await exited;
  const records = RECORDS - startRecords;
  const cpuSeconds = after && before ? after.cpuSeconds - before.cpuSeconds : NaN;
  const machineCpuSeconds = machine0 === null || machine1 === null ? null : machine1 - machine0;
  return {
    name: 'cli worker',
    records,
    seconds: Number(seconds.toFixed(2)),
    recordsPerSecond: Math.round(records / seconds),
    mbPerSecond: Number(((bytes / RECORDS) * records / 1e6 / seconds).toFixed(1)),
    peakRssMb: after?.peakRssMb ?? NaN,
    detections: NaN,
    cpuSeconds: Number(cpuSeconds.toFixed(2)),
    recordsPerCpuSecond: Math.round(records / cpuSeconds),
    eventLoopBusy: NaN,
    ...machineFigures(machineCpuSeconds, records),
  };
}

async function produceWorkload(topic: string): Promise<number> {
  const { messages, bytes } = buildMessages(loadSampleRecords());
  await createTopic(topic, PARTITIONS);
  const tp = performance.now();
  await produceMessages(topic, messages);
  console.log(`produced ${RECORDS} records (${(bytes / 1e6).toFixed(0)} MB) in ${((performance.now() - tp) / 1000).toFixed(1)} s bytes=${bytes}`);
  return bytes;
}

/** produces in a child process, so the sample data never counts in this process's RSS */
async function produceInChild(topic: string): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--produce', topic, '--records', String(RECORDS)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: ROOT,
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`producing the workload failed (exit ${code})`);
  process.stdout.write(out);
  return Number(/bytes=(\d+)/.exec(out)?.[1] ?? 0);
}

async function main(): Promise<void> {
  const topic = `bench-e2e-${Date.now()}`;
  const receiver = await startReceiverChild();
  try {
    const bytes = await produceInChild(topic);
    const baselineRssMb = Math.round(process.memoryUsage().rss / 1e6);

    // the engine as the worker builds it: bundled rules, enrichers and detection hooks, the example's lists
    const config = exampleConfig(ROOT);
    const store = await RedisCounterStore.connect(REDIS_URL, `bench-e2e-${Date.now()}:`);
    const engine = await createRuleEngine({ rules: config.rules, placeholders: config.placeholders, store, rulePaths: [join(ROOT, 'rules')], resolveDns: false });

    if (KNOBS.only === 'cli') {
      const c = await cliRun(topic, bytes, receiver.url);
      console.log(`cli worker ${c.recordsPerSecond} records/s, ${c.recordsPerCpuSecond} per CPU-s, peak RSS ${c.peakRssMb} MB`);
      await store.close();
      return;
    }
    const passthroughFirst = KNOBS.only === 'passthrough';
    let received = await receiver.count();
    const passthroughRun = () =>
      timedRun(
        'passthrough',
        topic,
        { reader: passthroughReader, engine: noRules, sinks: [hecSink(receiver.url)], logger, metrics: new WorkerMetrics({ defaultMetrics: false }) },
        bytes,
      );
    if (passthroughFirst) {
      const p = await passthroughRun();
      console.log(`passthrough ${p.recordsPerSecond} records/s, ${p.recordsPerCpuSecond} per CPU-s, peak RSS ${p.peakRssMb} MB`);
      await store.close();
      return;
    }
    const full = await timedRun(
      'worker',
      topic,
      {
        reader: createRecordReader<{ ok: true } & DecodedRecord>({ decodeMessage, normalizeRecord }),
        engine,
        sinks: [hecSink(receiver.url)],
        logger,
        metrics: new WorkerMetrics({ defaultMetrics: false }),
        onClose: () => store.close(),
      },
      bytes,
    );
    received = await checkDelivered('worker', receiver, received);
    if (KNOBS.only === 'worker') {
      console.log(`worker ${full.recordsPerSecond} records/s, ${full.recordsPerCpuSecond} per CPU-s, peak RSS ${full.peakRssMb} MB`);
      return;
    }
    const passthrough = await passthroughRun();
    received = await checkDelivered('passthrough', receiver, received);
    const cli = await cliRun(topic, bytes, receiver.url);
    await checkDelivered('cli worker', receiver, received);
    const ratio = Number((full.recordsPerSecond / passthrough.recordsPerSecond).toFixed(2));
    const result = {
      date: new Date().toISOString(),
      node: process.version,
      records: RECORDS,
      recordsPerMessage: PER_MESSAGE,
      partitions: PARTITIONS,
      rules: engine.rulePlans.length,
      correlations: engine.correlations.length,
      state: 'redis',
      rssBeforeWorkerMb: baselineRssMb,
      cores: cpus().length,
      machineLoad: (await import('node:os')).loadavg()[0],
      loadAverage: (await import('node:os')).loadavg().map((x) => Number(x.toFixed(2))),
      settings: KNOBS,
      hec: { useAck: true, ackPollIntervalMs: KNOBS.ackPollIntervalMs, gzip: true, gzipLevel: KNOBS.gzipLevel },
      worker: full,
      passthrough,
      /** the compiled `entrawatch worker` in its own process, production defaults: its RSS is the product's */
      cli,
      ratio,
      targets: { recordsPerSecond: 40_000, ratio: 0.5, rssMb: 300 },
      met: { recordsPerSecond: full.recordsPerSecond >= 40_000, ratio: ratio >= 0.5, rss: cli.peakRssMb < 300 },
    };
    for (const r of [full, passthrough, cli]) {
      console.log(
        `${r.name.padEnd(11)} ${r.recordsPerSecond.toLocaleString()} records/s (${r.mbPerSecond} MB/s), ${r.recordsPerCpuSecond.toLocaleString()} per CPU-s, ` +
          (Number.isFinite(r.eventLoopBusy) ? `event loop busy ${Math.round(r.eventLoopBusy * 100)}%, ${r.detections} detections, ` : '') +
          `peak RSS ${r.peakRssMb} MB`,
      );
      if (r.machineCpuSeconds !== null) {
        console.log(
          `${''.padEnd(11)} machine: ${r.machineCpuSeconds} CPU-s for all processes (${r.machineCpuUsPerRecord} µs per record): ` +
            `at most ${r.machineCeilingRecordsPerSecond!.toLocaleString()} records/s on these ${cpus().length} cores`,
        );
      }
    }
    console.log(`ratio       ${ratio} (worker / passthrough); RSS before the runs ${baselineRssMb} MB`);
    writeResult('e2e', result);
  } finally {
    receiver.stop();
    await deleteTopics([topic, `${topic}.dlq`]).catch(() => undefined);
  }
}

const produceArg = process.argv.indexOf('--produce');
if (produceArg > 0) await produceWorkload(process.argv[produceArg + 1]);
else await main();

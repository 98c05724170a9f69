/**
 * Scheduled windows with BullMQ on the real Redis: evaluated once per interval for the whole cluster however many
 * workers run, detections delivered durably (retries through a sink outage, a failed record when a sink refuses).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { WindowEvaluation, type ScheduledEvaluator } from '../../../src/jobs/window-evaluation.js';
import { DetectionDelivery } from '../../../src/jobs/detection-delivery.js';
import { ClusterWatermark } from '../../../src/jobs/cluster-watermark.js';
import { jobsConfigSchema, type JobsConfig } from '../../../src/jobs/config.js';
import { RedisCounterStore } from '../../../src/state/index.js';
import { RuleEngine } from '../../../src/rules/engine.js';
import { parseRuleText } from '../../../src/rules/load.js';
import { decodeMessage } from '../../../src/decode/index.js';
import { normalizeRecord } from '../../../src/normalize/index.js';
import type { EntraEvent } from '../../../src/normalize/event.js';
import type { Detection } from '../../../src/rules/types.js';
import type { DeliveryResult, OutputItem, Sink } from '../../../src/sinks/types.js';
import { SinkUnavailableError } from '../../../src/errors.js';
import { testRedisUrl, uniqueName } from '../../support/services.js';
import { makeDetection } from '../../support/output-items.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function connection() {
  const url = new URL(testRedisUrl());
  return { host: url.hostname, port: Number(url.port), maxRetriesPerRequest: null };
}

function jobsConfig(prefix: string, extra: Record<string, unknown> = {}): JobsConfig {
  return jobsConfigSchema.parse({ evaluateEveryMs: 1000, queuePrefix: prefix, delivery: { attempts: 5, backoffMs: 50 }, ...extra });
}

class RecordingSink implements Sink {
  readonly name = 'recording';
  readonly received: Detection[] = [];
  calls = 0;
  constructor(private readonly behaviour: (call: number) => 'ok' | 'unavailable' | 'reject' = () => 'ok') {}
  async start(): Promise<void> {}
  async deliver(items: OutputItem[]): Promise<DeliveryResult> {
    const call = ++this.calls;
    const b = this.behaviour(call);
    if (b === 'unavailable') throw new SinkUnavailableError(this.name, 'HEC is down (test outage)');
    if (b === 'reject') return { rejected: items.map((item) => ({ item, reason: 'HEC 400 code 6: Invalid data format' })) };
    for (const i of items) if (i.type === 'detection') this.received.push(i.detection);
    return { rejected: [] };
  }
  async close(): Promise<void> {}
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting for the condition');
    await sleep(50);
  }
}

interface Cluster {
  evaluations: WindowEvaluation[];
  deliveries: DetectionDelivery[];
}

async function startCluster(n: number, prefix: string, engines: ScheduledEvaluator[], sink: Sink, config = jobsConfig(prefix)): Promise<Cluster> {
  const cluster: Cluster = { evaluations: [], deliveries: [] };
  for (let i = 0; i < n; i++) {
    const redis = new Redis(testRedisUrl());
    const delivery = new DetectionDelivery({ connection: connection(), sinks: [sink], config });
    const evaluation = new WindowEvaluation({
      connection: connection(),
      engine: engines[i % engines.length]!,
      watermark: new ClusterWatermark(redis, `${prefix}:`),
      delivery,
      config,
    });
    delivery.start();
    await evaluation.start();
    cluster.evaluations.push(evaluation);
    cluster.deliveries.push(delivery);
    cleanups.push(async () => {
      await evaluation.close();
      await delivery.close();
      await redis.quit();
    });
  }
  cleanups.push(() => cluster.evaluations[0]!.removeScheduler().catch(() => undefined));
  return cluster;
}

describe('scheduled window evaluation (BullMQ, real Redis)', () => {
  it('runs once per interval for the whole cluster with 3 workers', async () => {
    const prefix = uniqueName('ewjobs');
    const redis = new Redis(testRedisUrl());
    cleanups.push(() => redis.quit());
    await new ClusterWatermark(redis, `${prefix}:`).observe(Date.UTC(2026, 10, 2, 12), 0);
    let calls = 0;
    const engine: ScheduledEvaluator = { evaluateScheduled: async () => (calls++, []) };
    const cluster = await startCluster(3, prefix, [engine], new RecordingSink());
    const started = Date.now();
    await sleep(5_500);
    const elapsedIntervals = (Date.now() - started) / 1000;
    const runs = cluster.evaluations.flatMap((e) => e.runs);
    const scheduled = runs.map((r) => r.scheduledFor);
    expect(new Set(scheduled).size).toBe(scheduled.length); // no interval evaluated twice
    expect(runs.length).toBe(calls);
    expect(runs.length).toBeGreaterThanOrEqual(2); // it does run (a loaded machine may delay a run or two)
    expect(runs.length).toBeLessThanOrEqual(Math.ceil(elapsedIntervals) + 1); // not 3x: one run per interval
    expect(runs.every((r) => r.until === Date.UTC(2026, 10, 2, 12))).toBe(true);
  });

  it('closes a rate_change window once across 3 workers sharing Redis state, and delivers one detection', async () => {
    const prefix = uniqueName('ewjobs');
    const rules = parseRuleText(
      `title: Failed sign-in
name: failed_signin
id: 9a0d6f1e-1111-4111-8111-000000000001
logsource: {product: azure, service: signinlogs}
detection:
  sel: {ResultType: 50126}
  condition: sel
level: low
---
title: Failed sign-ins increase
name: failures_increase
id: 9a0d6f1e-1111-4111-8111-000000000002
correlation:
  type: rate_change
  rules: [failed_signin]
  timespan: 1h
  previous: 3
  condition: {gte: 10}
  min_count: 5
level: medium
`,
      'inline.yml',
      { placeholders: {} },
    );
    const t0 = Date.UTC(2026, 10, 2, 0);
    const perHour = [10, 10, 10, 20, 1];
    const events: EntraEvent[] = [];
    perHour.forEach((n, hour) => {
      for (let i = 0; i < n; i++) {
        const time = new Date(t0 + hour * 3600_000 + (hour === 4 ? 1800_000 : i * 60_000)).toISOString();
        const record = { time, category: 'SignInLogs', operationName: 'Sign-in activity', resultType: '50126', properties: { id: `h${hour}-${i}`, createdDateTime: time, userPrincipalName: `u${i}@contosob2c.onmicrosoft.com`, status: { errorCode: 50126 } } };
        const [decoded] = decodeMessage(JSON.stringify(record), { source: 'test' });
        if (!decoded?.ok) throw new Error('fixture did not decode');
        events.push(normalizeRecord(decoded));
      }
    });
    // three workers, each with its own engine and store connection, each sees a third of the events
    const engines: RuleEngine[] = [];
    const watermarkRedis = new Redis(testRedisUrl());
    cleanups.push(() => watermarkRedis.quit());
    for (let w = 0; w < 3; w++) {
      const store = await RedisCounterStore.connect(testRedisUrl(), `${prefix}:state:`);
      cleanups.push(() => store.close());
      const engine = await RuleEngine.create({ rules: rules.rules, correlations: rules.correlations, store });
      engines.push(engine);
      const mine = events.filter((_, i) => i % 3 === w);
      expect(await engine.processBatch(mine)).toEqual([]);
      await new ClusterWatermark(watermarkRedis, `${prefix}:`).observe(Math.max(...mine.map((e) => e.time)), Date.now());
    }
    const sink = new RecordingSink();
    const cluster = await startCluster(3, prefix, engines, sink);
    await waitFor(() => sink.received.length >= 1);
    await sleep(2_500); // more scheduled runs: nothing closes twice
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0]!.rule.name).toBe('failures_increase');
    expect(sink.received[0]!.window?.start).toBe(t0 + 3 * 3600_000);
    expect(cluster.evaluations.flatMap((e) => e.runs).reduce((n, r) => n + r.detections, 0)).toBe(1);
  });

  it('delivers a detection after a sink outage, once, and records deliveries that fail for good', async () => {
    const prefix = uniqueName('ewjobs');
    const outage = new RecordingSink((call) => (call <= 3 ? 'unavailable' : 'ok'));
    const config = jobsConfig(prefix);
    const delivery = new DetectionDelivery({ connection: connection(), sinks: [outage], config });
    cleanups.push(() => delivery.close());
    delivery.start();
    const d = makeDetection(1);
    await delivery.enqueue([d]);
    await delivery.enqueue([d]); // found again: same id, queued once
    await waitFor(() => outage.received.length >= 1);
    await sleep(300);
    expect(outage.calls).toBe(4);
    expect(outage.received.map((x) => x.id)).toEqual([d.id]);

    const refusing = new RecordingSink(() => 'reject');
    const failing = new DetectionDelivery({ connection: connection(), sinks: [refusing], config: jobsConfig(`${prefix}-f`) });
    cleanups.push(() => failing.close());
    failing.start();
    await failing.enqueue([makeDetection(2)]);
    await waitFor(async () => (await failing.failedDeliveries()).length === 1);
    const [failed] = await failing.failedDeliveries();
    expect(failed).toMatchObject({ detectionId: 'det-2', rule: 'ca4_failed_signins_burst' });
    expect(failed!.reason).toMatch(/Invalid data format/);
    expect(refusing.calls).toBe(1); // a refusal is not retried
  });
});

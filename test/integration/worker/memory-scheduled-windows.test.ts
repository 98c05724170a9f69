/**
 * A single worker with in-memory state (no Redis, so no BullMQ) still closes time-based windows: a local timer
 * evaluates rate_change against the worker's own event-time watermark and the detection reaches HEC.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWorker, workerCommandConfigSchema } from '../../../src/cli/worker.js';
import type { WorkerHandle } from '../../../src/pipeline/worker.js';
import { startHecReceiver, type HecReceiver } from '../../support/hec-receiver/index.js';
import { createTopic, deleteTopics, produceMessages, waitFor } from '../../support/kafka.js';
import { uniqueName } from '../../support/services.js';
import { detectionsOf, signInRecord, TOKEN, workerConfig } from './harness.js';

const RULES = `title: Failed sign-in (test)
name: mem_failed_signin
id: 7b2f0d6a-0000-4000-8000-0000000000b1
logsource: {product: azure, service: signinlogs}
detection:
  sel: {ResultType: 50126}
  condition: sel
level: low
---
title: Failed sign-ins increase (test)
name: mem_failed_signins_increase
id: 7b2f0d6a-0000-4000-8000-0000000000b2
correlation:
  type: rate_change
  rules: [mem_failed_signin]
  timespan: 1h
  previous: 2
  condition: {gte: 50}
  min_count: 5
level: medium
`;

describe('worker with in-memory state: scheduled windows', () => {
  const topic = uniqueName('w-memsched');
  const groupId = uniqueName('g-memsched');
  let receiver: HecReceiver;
  let worker: WorkerHandle | undefined;

  beforeAll(async () => {
    receiver = await startHecReceiver({ tokens: [{ token: TOKEN, useAck: true }] });
    await createTopic(topic, 1);
  });
  afterAll(async () => {
    await worker?.stop();
    await receiver?.close();
    await deleteTopics([topic, `${topic}.dlq`]);
  });

  it('fires rate_change from a local timer and delivers it', async () => {
    const rulesDir = mkdtempSync(join(tmpdir(), 'ew-memsched-'));
    writeFileSync(join(rulesDir, 'rate.yml'), RULES);
    // hour 0 and 1: 5 failures each; hour 2: 10 (+100%); hour 3: one event so hour 2 closes
    const perHour = [5, 5, 10, 1];
    const records: Array<Record<string, unknown>> = [];
    perHour.forEach((n, hour) => {
      for (let i = 0; i < n; i++) records.push(signInRecord(`${topic}-h${hour}-${i}`, `user${i}`, true, hour * 3600 + (hour === 3 ? 1800 : i * 60)));
    });
    await produceMessages(topic, [{ value: JSON.stringify({ records }), partition: 0 }]);

    const base = workerConfig({ topic, groupId, hecUrl: receiver.url, redisPrefix: topic });
    const config = workerCommandConfigSchema.parse({
      ...base,
      state: { backend: 'memory' },
      rules: { paths: [rulesDir] },
      jobs: { evaluateEveryMs: 1000 },
    });
    worker = await startWorker(config);
    await worker.ready;
    const fired = await waitFor(() => detectionsOf(receiver.events()).some((d) => d.ruleName === 'mem_failed_signins_increase'), 30_000);
    expect(fired).toBe(true);
    const d = detectionsOf(receiver.events()).filter((x) => x.ruleName === 'mem_failed_signins_increase');
    expect(new Set(d.map((x) => x.id)).size).toBe(1);
  });
});

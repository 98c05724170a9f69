/**
 * Several sinks at once, each with the delivery contract of HEC: the worker delivers every record to HEC and every
 * detection to the Kafka output topic and to a syslog (LEEF over TCP) listener; while the syslog listener is down,
 * no offset is committed past what syslog has not confirmed, and once it is back everything arrives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { startWorker } from '../../../src/cli/worker.js';
import { workerCommandConfigSchema } from '../../../src/cli/worker.js';
import type { WorkerHandle } from '../../../src/pipeline/worker.js';
import { startHecReceiver, type HecReceiver } from '../../support/hec-receiver/index.js';
import { committedOffsets, createTopic, deleteTopics, endOffsets, produceMessages, readTopic, waitFor } from '../../support/kafka.js';
import { uniqueName } from '../../support/services.js';
import { startSyslogListener, type SyslogListener } from '../../support/syslog-listener.js';
import { buildWorkload, recordIdOf, THRESHOLD, TOKEN, workerConfig } from '../worker/harness.js';

const PARTITIONS = 2;

describe('worker with HEC + Kafka + syslog sinks', () => {
  const topic = uniqueName('w-multisink');
  const groupId = uniqueName('g-multisink');
  const detectionsTopic = `${topic}.detections`;
  let receiver: HecReceiver;
  let syslog: SyslogListener;
  let worker: WorkerHandle | undefined;

  beforeAll(async () => {
    receiver = await startHecReceiver({ tokens: [{ token: TOKEN, useAck: true }] });
    syslog = await startSyslogListener('tcp');
    await createTopic(topic, PARTITIONS);
    await createTopic(detectionsTopic, 1);
  });

  afterAll(async () => {
    await worker?.stop();
    await receiver?.close();
    await syslog?.stop();
    await deleteTopics([topic, `${topic}.dlq`, detectionsTopic]);
  });

  it('delivers to every sink and holds commits back while one sink is down', async () => {
    const w = buildWorkload({ messages: 40, perMessage: 10, partitions: PARTITIONS, firingUsers: 3, quietUsers: 3, tag: topic });
    const base = workerConfig({ topic, groupId, hecUrl: receiver.url, redisPrefix: topic });
    const config = workerCommandConfigSchema.parse({
      ...base,
      sinks: {
        hec: base.sinks.hec,
        kafka: { detectionsTopic },
        syslog: { host: '127.0.0.1', port: syslog.port, protocol: 'tcp', format: 'leef', confirmAfterMs: 100, reconnectBackoffMs: { base: 50, max: 300 } },
      },
    });
    // syslog is down when the worker starts consuming: nothing may be committed past undelivered detections
    worker = await startWorker(config);
    await worker.ready;
    await syslog.stop();
    await produceMessages(topic, w.messages);

    const ids = new Set(w.allIds);
    expect(await waitFor(() => {
      const seen = new Set(receiver.events().map(recordIdOf).filter((x) => x !== undefined));
      return [...ids].every((id) => seen.has(id));
    }, 60_000)).toBe(true);
    await sleep(1500);
    const end = await endOffsets(topic);
    const whileDown = await committedOffsets(groupId, topic);
    const everythingCommitted = [...end].every(([p, o]) => whileDown.get(p) === o);
    expect(everythingCommitted).toBe(false); // detections of the firing users are not in syslog yet

    await syslog.start();
    const expectedDetections = 3; // one per firing user (threshold THRESHOLD), see harness
    expect(await waitFor(() => new Set(syslog.messages.map((m) => /usrName=([^\t]+)/.exec(m)?.[1])).size >= expectedDetections, 60_000)).toBe(true);
    expect(await waitFor(async () => {
      const c = await committedOffsets(groupId, topic);
      return [...end].every(([p, o]) => c.get(p) === o);
    }, 20_000)).toBe(true);

    // every sink got the same detections (by deterministic id) as HEC
    const hecDetectionIds = receiver.events().filter((e) => e.sourcetype === 'entrawatch:detection').map((e) => (e.event as { id: string }).id);
    const wanted = new Set(hecDetectionIds);
    expect(await waitFor(() => wanted.size > 0 && [...wanted].every((id) => syslog.messages.some((m) => m.includes(`externalId=${id}`))), 20_000)).toBe(true);
    const out = await readTopic(detectionsTopic, hecDetectionIds.length);
    const kafkaIds = new Set(out.map((m) => (JSON.parse(String(m.value)) as { id: string }).id));
    expect([...kafkaIds].sort()).toEqual([...wanted].sort());
    const users = new Set(out.map((m) => (JSON.parse(String(m.value)) as { cim: { user?: string } }).cim.user));
    expect(users.size).toBe(expectedDetections);
    for (const m of syslog.messages) expect(m).toMatch(/LEEF:2\.0\|entrawatch\|entrawatch\|/);
    expect(THRESHOLD).toBeGreaterThan(1);
  });
});

/**
 * Real Kafka + Redis + HEC receiver, worker in-process: every record reaches HEC exactly as produced, the
 * threshold correlation fires once per user that reached it, malformed messages go to the dead-letter topic with
 * their reason while consumption goes on, offsets end committed at the log end, and /metrics, /readyz answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '../../../src/cli/worker.js';
import type { WorkerHandle } from '../../../src/pipeline/worker.js';
import { startHecReceiver, type HecReceiver } from '../../support/hec-receiver/index.js';
import { committedOffsets, createTopic, deleteTopics, endOffsets, produceMessages, readTopic, waitFor } from '../../support/kafka.js';
import { uniqueName } from '../../support/services.js';
import { buildWorkload, detectionsOf, recordIdOf, THRESHOLD, TOKEN, workerConfig } from './harness.js';

const PARTITIONS = 3;

describe('worker: Kafka -> rules -> HEC', () => {
  const topic = uniqueName('w-delivery');
  const groupId = uniqueName('g-delivery');
  let receiver: HecReceiver;
  let worker: WorkerHandle | undefined;

  beforeAll(async () => {
    receiver = await startHecReceiver({ tokens: [{ token: TOKEN, useAck: true }] });
    await createTopic(topic, PARTITIONS);
  });

  afterAll(async () => {
    await worker?.stop();
    await receiver?.close();
    await deleteTopics([topic, `${topic}.dlq`]);
  });

  it('delivers every record, fires the correlation once per user, dead-letters malformed messages and commits the log end', async () => {
    const w = buildWorkload({ messages: 120, perMessage: 25, partitions: PARTITIONS, firingUsers: 4, quietUsers: 4, tag: topic });
    const malformed = [
      { value: '{"records": [ this is not json', partition: 0 },
      { value: JSON.stringify({ records: [{ time: 'not a time', category: 'SignInLogs', properties: {} }] }), partition: 1 },
    ];
    await produceMessages(topic, [...w.messages.slice(0, 60), ...malformed, ...w.messages.slice(60)]);

    worker = await startWorker(workerConfig({ topic, groupId, hecUrl: receiver.url, redisPrefix: topic }));
    await worker.ready;
    const ready = await fetch(`${worker.healthUrl()}/readyz`);
    expect(ready.status).toBe(200);

    const ids = new Set(w.allIds);
    const delivered = await waitFor(() => {
      const seen = new Set(receiver.events().map(recordIdOf).filter((x) => x !== undefined));
      return [...ids].every((id) => seen.has(id));
    }, 60_000);
    expect(delivered).toBe(true);

    // raw records reach HEC unchanged, one HEC event per record, sourcetype azure:monitor:aad
    const raw = receiver.events().filter((e) => e.sourcetype === 'azure:monitor:aad');
    const first = raw.find((e) => recordIdOf(e) === w.allIds[0])!;
    expect(first.event).toEqual(JSON.parse(w.messages[0].value as string).records[0]);

    // the dead letters carry the reason and where they came from
    const letters = await readTopic(`${topic}.dlq`, 2);
    expect(letters).toHaveLength(2);
    for (const l of letters) {
      expect(l.headers['entrawatch-reason']).toBeTruthy();
      expect(l.headers['entrawatch-source-topic']).toBe(topic);
      expect(['decode', 'normalize']).toContain(l.headers['entrawatch-kind']);
    }
    const bySource = letters.map((l) => l.headers['entrawatch-source-partition']).sort();
    expect(bySource).toEqual(['0', '1']);
    expect(letters.find((l) => l.headers['entrawatch-source-partition'] === '0')!.value).toBe(malformed[0].value);

    // offsets end at the log end of every partition
    const end = await endOffsets(topic);
    const settled = await waitFor(async () => {
      const c = await committedOffsets(groupId, topic);
      return [...end].every(([p, o]) => c.get(p) === o);
    }, 10_000);
    expect(settled).toBe(true);

    // exactly the users that reached the threshold fired, with THRESHOLD events as evidence
    const detections = detectionsOf(receiver.events()).filter((d) => d.ruleName === 'worker_test_ten_invalid_passwords');
    const firedUsers = new Set(detections.map((d) => d.user?.split('@')[0]));
    expect([...firedUsers].sort()).toEqual([...w.firingUsers].sort());
    for (const d of detections) expect(d.count).toBe(THRESHOLD);

    const metrics = await (await fetch(`${worker.healthUrl()}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`entrawatch_records_in_total\\{topic="${topic}"\\} ${w.allIds.length}`));
    expect(metrics).toMatch(/entrawatch_dead_letters_total\{reason="(decode|normalize)"\} [12]/);
    expect(metrics).toMatch(/entrawatch_records_out_total\{sink="hec",type="event"\} \d+/);
    expect(metrics).toContain('entrawatch_consumer_lag{');

    const exit = await worker.stop();
    worker = undefined;
    expect(exit.code).toBe(0);
  });
});

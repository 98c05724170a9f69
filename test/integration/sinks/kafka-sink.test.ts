import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaSink } from '../../../src/sinks/kafka/kafka-sink.js';
import { kafkaSinkConfigSchema } from '../../../src/sinks/kafka/config.js';
import { testKafkaBrokers, uniqueName } from '../../support/services.js';
import { makeDetection, makeEvent } from '../../support/output-items.js';

const kafka = new Kafka({ clientId: 'entrawatch-test', brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING });
const admin = kafka.admin();
const detectionsTopic = uniqueName('ew-detections');
const eventsTopic = uniqueName('ew-events');

beforeAll(async () => {
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: detectionsTopic, numPartitions: 3 }, { topic: eventsTopic, numPartitions: 3 }] });
});
afterAll(async () => {
  await admin.deleteTopics({ topics: [detectionsTopic, eventsTopic] }).catch(() => undefined);
  await admin.disconnect();
});

async function readAll(topic: string, expected: number): Promise<Array<{ key: string; value: string; headers: Record<string, string>; partition: number }>> {
  const consumer = kafka.consumer({ groupId: uniqueName('ew-reader') });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const out: Array<{ key: string; value: string; headers: Record<string, string>; partition: number }> = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${out.length} of ${expected} messages on ${topic}`)), 30_000);
    void consumer.run({
      eachMessage: async ({ message, partition }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        out.push({ key: String(message.key), value: String(message.value), headers, partition });
        if (out.length >= expected) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return out;
}

describe('Kafka output sink (real broker)', () => {
  it('writes detections and normalized events as JSON keyed by user, acknowledged by the brokers', async () => {
    const sink = new KafkaSink(kafka, kafkaSinkConfigSchema.parse({ detectionsTopic, eventsTopic }));
    await sink.start();
    const items = [
      ...Array.from({ length: 30 }, (_, i) => ({ type: 'detection' as const, detection: makeDetection(i % 5) })),
      ...Array.from({ length: 10 }, (_, i) => ({ type: 'event' as const, event: makeEvent(i) })),
    ];
    expect(await sink.deliver(items)).toEqual({ rejected: [] });
    await sink.close();

    const dets = await readAll(detectionsTopic, 30);
    expect(dets).toHaveLength(30);
    const parsed = dets.map((m) => JSON.parse(m.value) as { id: string; cim: { user: string } });
    for (const [i, m] of dets.entries()) {
      expect(m.key).toBe(parsed[i]!.cim.user);
      expect(m.headers['entrawatch-rule']).toBe('ca4_failed_signins_burst');
    }
    // one user's detections all sit in one partition (ordering per user)
    const partitionsByUser = new Map<string, Set<number>>();
    for (const m of dets) (partitionsByUser.get(m.key) ?? partitionsByUser.set(m.key, new Set()).get(m.key)!).add(m.partition);
    for (const parts of partitionsByUser.values()) expect(parts.size).toBe(1);

    const events = await readAll(eventsTopic, 10);
    const ids = events.map((m) => (JSON.parse(m.value) as { id: string; cim: unknown }).id).sort();
    expect(ids).toEqual(Array.from({ length: 10 }, (_, i) => `ev-${i}`).sort());
    expect(JSON.parse(events[0]!.value)).toHaveProperty('cim');
  });

  it('rejects a config that names no topic, saying which key to set', () => {
    const parsed = kafkaSinkConfigSchema.safeParse({});
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/detectionsTopic/);
  });
});

/**
 * The bridge's ordering and checkpoint rules, with a fake Event Hub and a fake producer (no servers).
 * The same rules against real Kafka are in test/integration/bridge/.
 */
import type { Message } from 'kafkajs';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { EventHubsKafkaBridge } from '../../../src/bridge/bridge.js';
import type { BridgeProducer } from '../../../src/bridge/kafka-producer.js';
import { BRIDGE_HEADERS, eventBodyBytes, toKafkaMessage } from '../../../src/bridge/kafka-message.js';
import { backoffDelay, retryUntilAborted, RetryAbortedError } from '../../../src/bridge/retry.js';
import { FakeEventHub, MemoryCheckpointStore, waitFor } from '../../integration/bridge/fake-event-hub.js';

const logger = pino({ level: 'silent' });

/** Records what it acknowledged; fails while `down` is true. */
class FakeProducer implements BridgeProducer {
  readonly acked: Array<{ topic: string; message: Message }> = [];
  down = false;
  failures = 0;
  async send(topic: string, messages: Message[]): Promise<void> {
    await new Promise((r) => setTimeout(r, 1));
    if (this.down) {
      this.failures++;
      throw new Error('Connection error: connect ECONNREFUSED');
    }
    for (const message of messages) this.acked.push({ topic, message });
  }
  async close() {}
  ackedSequence(partitionId: string): number[] {
    return this.acked
      .filter((a) => a.message.headers![BRIDGE_HEADERS.partition] === partitionId)
      .map((a) => Number(a.message.headers![BRIDGE_HEADERS.sequenceNumber]));
  }
}

describe('toKafkaMessage', () => {
  const event = {
    body: Buffer.from('{"records":[{"time":"2026-01-01T00:00:00Z"}]}\n'),
    partitionKey: null,
    sequenceNumber: 42,
    offset: '8589934592',
    enqueuedTimeUtc: new Date('2026-01-01T00:00:05.123Z'),
  };

  it('keeps the body bytes, keys by hub/partition and says where the event came from', () => {
    const m = toKafkaMessage(event, 'insights-logs-signinlogs', '3');
    expect(m.value).toBe(event.body); // the very bytes received
    expect(m.key).toBe('insights-logs-signinlogs/3');
    expect(m.timestamp).toBe(String(Date.parse('2026-01-01T00:00:05.123Z')));
    expect(m.headers).toEqual({
      'x-eventhubs-hub': 'insights-logs-signinlogs',
      'x-eventhubs-partition': '3',
      'x-eventhubs-sequence-number': '42',
      'x-eventhubs-offset': '8589934592',
      'x-eventhubs-enqueued-time': '2026-01-01T00:00:05.123Z',
    });
  });

  it('keys by the partition key when there is one and passes the content type', () => {
    const m = toKafkaMessage({ ...event, partitionKey: 'tenant-a', contentType: 'application/json' }, 'h', '0');
    expect(m.key).toBe('tenant-a');
    expect(m.headers!['x-eventhubs-partition-key']).toBe('tenant-a');
    expect(m.headers!['content-type']).toBe('application/json');
  });

  it('serializes bodies the SDK decoded (AMQP value / sequence sections) faithfully', () => {
    expect(eventBodyBytes('héllo').toString('utf8')).toBe('héllo');
    expect([...eventBodyBytes(new Uint8Array([0, 1, 255]))]).toEqual([0, 1, 255]);
    expect([...eventBodyBytes(new Uint8Array([9, 0, 1, 255, 9]).subarray(1, 4))]).toEqual([0, 1, 255]);
    expect(eventBodyBytes({ records: [{ a: 1 }] }).toString()).toBe('{"records":[{"a":1}]}');
    expect(eventBodyBytes([1, 'x']).toString()).toBe('[1,"x"]');
    expect(eventBodyBytes(null).length).toBe(0);
  });
});

describe('retry', () => {
  it('backs off exponentially up to the cap, with jitter in [ceiling/2, ceiling]', () => {
    const o = { initialMs: 100, maxMs: 1000 };
    expect(backoffDelay(1, { ...o, random: () => 0 })).toBe(50);
    expect(backoffDelay(1, { ...o, random: () => 1 })).toBe(100);
    expect(backoffDelay(3, { ...o, random: () => 1 })).toBe(400);
    expect(backoffDelay(30, { ...o, random: () => 1 })).toBe(1000);
  });

  it('stops retrying when aborted', async () => {
    const ac = new AbortController();
    let calls = 0;
    const p = retryUntilAborted(
      async () => {
        calls++;
        throw new Error('down');
      },
      ac.signal,
      { initialMs: 5, maxMs: 5 },
    );
    setTimeout(() => ac.abort(), 40);
    await expect(p).rejects.toBeInstanceOf(RetryAbortedError);
    expect(calls).toBeGreaterThan(1);
  });
});

describe('EventHubsKafkaBridge with a fake hub and producer', () => {
  it('produces every event in order per partition and checkpoints only what Kafka acknowledged', async () => {
    const store = new MemoryCheckpointStore();
    const hub = new FakeEventHub('insights-logs-auditlogs', 3, store);
    for (let i = 0; i < 300; i++) hub.publish(i % 3, Buffer.from(`event-${i}`));
    const producer = new FakeProducer();
    // every checkpoint write must be at or behind what the producer has acknowledged for that partition
    const violations: string[] = [];
    const update = store.updateCheckpoint.bind(store);
    store.updateCheckpoint = async (c) => {
      const acked = producer.ackedSequence(c.partitionId);
      if (!acked.includes(c.sequenceNumber)) violations.push(`${c.partitionId}@${c.sequenceNumber}`);
      return update(c);
    };
    const bridge = new EventHubsKafkaBridge({
      routes: [{ source: hub.client(), topic: 'out' }],
      producer,
      logger,
      subscribe: { maxBatchSize: 7 },
    });
    bridge.start();
    await waitFor(() => producer.acked.length === 300, 'all events produced');
    await waitFor(() => store.checkpoints.size === 3 && [...store.checkpoints.values()].every((c) => c.sequenceNumber === 99), 'checkpoints');
    await bridge.stop();
    for (const p of ['0', '1', '2']) expect(producer.ackedSequence(p)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(violations).toEqual([]);
    expect(producer.acked.every((a) => a.topic === 'out')).toBe(true);
  });

  it('holds checkpoints back while Kafka is down and catches up when it returns', async () => {
    const store = new MemoryCheckpointStore();
    const hub = new FakeEventHub('h', 2, store);
    for (let i = 0; i < 40; i++) hub.publish(i % 2, `e${i}`);
    const producer = new FakeProducer();
    const bridge = new EventHubsKafkaBridge({
      routes: [{ source: hub.client(), topic: 't' }],
      producer,
      logger,
      subscribe: { maxBatchSize: 5 },
      retry: { initialMs: 5, maxMs: 20 },
    });
    bridge.start();
    await waitFor(() => producer.acked.length === 40, 'first 40 events');
    await waitFor(() => store.checkpoints.get('h/0')?.sequenceNumber === 19, 'first checkpoint');

    producer.down = true;
    for (let i = 40; i < 80; i++) hub.publish(i % 2, `e${i}`);
    await waitFor(() => producer.failures >= 6, 'several failed attempts');
    const writesDuringOutage = store.writes.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(store.writes.length).toBe(writesDuringOutage); // nothing checkpointed while down
    expect(store.checkpoints.get('h/0')?.sequenceNumber).toBe(19);

    producer.down = false;
    await waitFor(() => producer.acked.length === 80, 'all 80 events after recovery');
    await waitFor(() => store.checkpoints.get('h/1')?.sequenceNumber === 39, 'checkpoint after recovery');
    await bridge.stop();
    expect(producer.ackedSequence('0')).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(bridge.partitionStats().reduce((n, s) => n + s.failedAttempts, 0)).toBeGreaterThan(0);
  });

  it('stopping during an outage checkpoints nothing more, and a restart delivers everything', async () => {
    const store = new MemoryCheckpointStore();
    const hub = new FakeEventHub('h', 1, store);
    for (let i = 0; i < 10; i++) hub.publish(0, `e${i}`);
    const producer = new FakeProducer();
    const first = new EventHubsKafkaBridge({ routes: [{ source: hub.client(), topic: 't' }], producer, logger, subscribe: { maxBatchSize: 4 } });
    first.start();
    await waitFor(() => store.checkpoints.get('h/0')?.sequenceNumber === 9, 'first checkpoint');
    producer.down = true;
    for (let i = 10; i < 20; i++) hub.publish(0, `e${i}`);
    await waitFor(() => producer.failures >= 2, 'failures');
    await first.stop();
    expect(store.checkpoints.get('h/0')?.sequenceNumber).toBe(9);

    producer.down = false;
    const second = new EventHubsKafkaBridge({ routes: [{ source: hub.client(), topic: 't' }], producer, logger, subscribe: { maxBatchSize: 4 } });
    second.start();
    await waitFor(() => store.checkpoints.get('h/0')?.sequenceNumber === 19, 'checkpoint after restart');
    await second.stop();
    expect(producer.ackedSequence('0')).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});

/**
 * The bridge against a real Kafka (and the Redis checkpoint store on a real Redis), fed by a fake Event Hub:
 * order per partition, headers, bytes unchanged, checkpoints never ahead of Kafka's acknowledgements, restart
 * from the checkpoint without loss, and a Kafka outage (a TCP proxy we cut) that holds checkpoints back and
 * recovers. Real Azure / AMQP is not reachable here (see docs/eventhubs.md).
 */
import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { Kafka, logLevel, type Admin, type KafkaMessage, type Message } from 'kafkajs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventHubsKafkaBridge } from '../../../src/bridge/bridge.js';
import { BRIDGE_HEADERS } from '../../../src/bridge/kafka-message.js';
import { KafkajsBridgeProducer, type BridgeProducer } from '../../../src/bridge/kafka-producer.js';
import { RedisCheckpointStore } from '../../../src/bridge/redis-checkpoint-store.js';
import { assertReachable, testKafkaBrokers, testRedisUrl, uniqueName } from '../../support/services.js';
import { FAKE_NAMESPACE, FakeEventHub, waitFor } from './fake-event-hub.js';
import { CuttableTcpProxy } from './tcp-proxy.js';

const logger = pino({ level: 'silent' });
let redis: Redis;
let redis2: Redis;
let admin: Admin;
let kafka: Kafka;
let prefix: string;
const producers: BridgeProducer[] = [];

beforeAll(async () => {
  await assertReachable(testRedisUrl(), 'Redis');
  await assertReachable(testKafkaBrokers()[0], 'Kafka');
  redis = new Redis(testRedisUrl());
  redis2 = new Redis(testRedisUrl());
  prefix = uniqueName('ew-bridge');
  kafka = new Kafka({ brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING, clientId: 'bridge-test' });
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  await Promise.all(producers.map((p) => p.close().catch(() => undefined)));
  await admin?.disconnect();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  redis2.disconnect();
});

async function createTopic(partitions: number): Promise<string> {
  const topic = uniqueName('ew-bridge-out');
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
  return topic;
}

function producer(extra: Partial<ConstructorParameters<typeof KafkajsBridgeProducer>[0]['kafka']> = {}): KafkajsBridgeProducer {
  const p = new KafkajsBridgeProducer({ kafka: { brokers: testKafkaBrokers(), clientId: 'entrawatch-bridge-test', ...extra } });
  producers.push(p);
  return p;
}

/** Wraps a producer to remember, per partition, the sequence numbers Kafka acknowledged. */
function recordingProducer(inner: BridgeProducer) {
  const acked = new Map<string, Set<number>>();
  const wrapped: BridgeProducer = {
    async send(topic: string, messages: Message[]) {
      await inner.send(topic, messages);
      for (const m of messages) {
        const key = `${m.headers![BRIDGE_HEADERS.hub]}/${m.headers![BRIDGE_HEADERS.partition]}`;
        const set = acked.get(key) ?? new Set<number>();
        set.add(Number(m.headers![BRIDGE_HEADERS.sequenceNumber]));
        acked.set(key, set);
      }
    },
    close: () => inner.close(),
  };
  return { wrapped, acked };
}

/** A Redis checkpoint store that fails the test's invariant check when a checkpoint passes an unacknowledged event. */
function guardedStore(client: Redis, acked: Map<string, Set<number>>, violations: string[]): RedisCheckpointStore {
  const store = new RedisCheckpointStore(client, { keyPrefix: prefix });
  const update = store.updateCheckpoint.bind(store);
  store.updateCheckpoint = async (c) => {
    const set = acked.get(`${c.eventHubName}/${c.partitionId}`) ?? new Set<number>();
    for (let s = 0; s <= c.sequenceNumber; s++) {
      if (!set.has(s)) {
        violations.push(`${c.eventHubName}/${c.partitionId} checkpoint ${c.sequenceNumber} before Kafka acked ${s}`);
        break;
      }
    }
    return update(c);
  };
  return store;
}

async function readTopic(topic: string, expected: number): Promise<KafkaMessage[]> {
  const consumer = kafka.consumer({ groupId: uniqueName('ew-bridge-check'), allowAutoTopicCreation: false });
  const out: KafkaMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      out.push(message);
    },
  });
  try {
    await waitFor(() => out.length >= expected, `${expected} messages in ${topic} (have ${out.length})`, 60_000);
    await new Promise((r) => setTimeout(r, 300)); // any unexpected extra (duplicate) message would show up now
  } finally {
    await consumer.disconnect();
  }
  return out;
}

function header(m: KafkaMessage, name: string): string {
  return String(m.headers![name]);
}

function sequencesBySourcePartition(messages: KafkaMessage[]): Map<string, number[]> {
  const by = new Map<string, number[]>();
  for (const m of messages) {
    const key = `${header(m, BRIDGE_HEADERS.hub)}/${header(m, BRIDGE_HEADERS.partition)}`;
    const list = by.get(key) ?? [];
    list.push(Number(header(m, BRIDGE_HEADERS.sequenceNumber)));
    by.set(key, list);
  }
  return by;
}

async function checkpointOf(store: RedisCheckpointStore, hub: string, partitionId: string): Promise<number | undefined> {
  const cps = await store.listCheckpoints(FAKE_NAMESPACE, hub, '$Default');
  return cps.find((c) => c.partitionId === partitionId)?.sequenceNumber;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('bridge -> real Kafka', () => {
  it('keeps order per partition, the bytes, the headers, and never checkpoints ahead of Kafka', async () => {
    const topic = await createTopic(3);
    const { wrapped, acked } = recordingProducer(producer());
    const violations: string[] = [];
    const store = guardedStore(redis, acked, violations);
    const hubName = uniqueName('insights-logs-signinlogs');
    const hub = new FakeEventHub(hubName, 4, store);
    const bodies = new Map<string, Buffer>();
    for (let i = 0; i < 400; i++) {
      // binary-safe: JSON text plus a few bytes that are not valid UTF-8
      const body = Buffer.concat([Buffer.from(`{"records":[{"n":${i}}]}`), Buffer.from([0xff, 0x00, 0xfe])]);
      const e = hub.publish(i % 4, body, i % 4 === 3 ? 'tenant-b2c' : null);
      bodies.set(`${i % 4}/${e.sequenceNumber}`, body);
    }
    const bridge = new EventHubsKafkaBridge({ routes: [{ source: hub.client(), topic }], producer: wrapped, logger, subscribe: { maxBatchSize: 16 } });
    bridge.start();
    await waitFor(async () => (await checkpointOf(store, hubName, '0')) === 99 && (await checkpointOf(store, hubName, '3')) === 99, 'final checkpoints');
    await bridge.stop();
    expect(violations).toEqual([]);

    const messages = await readTopic(topic, 400);
    expect(messages).toHaveLength(400);
    const seqs = sequencesBySourcePartition(messages);
    for (const p of ['0', '1', '2', '3']) expect(seqs.get(`${hubName}/${p}`)).toEqual(range(100)); // in order, no gaps, no duplicates
    for (const m of messages) {
      const p = header(m, BRIDGE_HEADERS.partition);
      const seq = header(m, BRIDGE_HEADERS.sequenceNumber);
      expect(Buffer.compare(m.value!, bodies.get(`${p}/${seq}`)!)).toBe(0);
      expect(m.key!.toString()).toBe(p === '3' ? 'tenant-b2c' : `${hubName}/${p}`);
      expect(header(m, BRIDGE_HEADERS.offset)).toBe(String(Number(seq) * 4096 + 17));
      expect(new Date(header(m, BRIDGE_HEADERS.enqueuedTime)).getTime()).toBe(Number(m.timestamp));
      if (p === '3') expect(header(m, BRIDGE_HEADERS.partitionKey)).toBe('tenant-b2c');
    }
  });

  it('restarts from the checkpoint (another process, another connection) with nothing lost', async () => {
    const topic = await createTopic(2);
    const hubName = uniqueName('insights-logs-auditlogs');
    const firstStore = new RedisCheckpointStore(redis, { keyPrefix: prefix });
    const hub = new FakeEventHub(hubName, 2, firstStore);
    for (let i = 0; i < 60; i++) hub.publish(i % 2, `first-${i}`);
    const first = new EventHubsKafkaBridge({ routes: [{ source: hub.client(), topic }], producer: producer(), logger, subscribe: { maxBatchSize: 8 } });
    first.start();
    await waitFor(async () => (await checkpointOf(firstStore, hubName, '1')) === 29 && (await checkpointOf(firstStore, hubName, '0')) === 29, 'first run checkpoints');
    await first.stop();

    for (let i = 60; i < 120; i++) hub.publish(i % 2, `second-${i}`);
    // the second process: its own Redis connection and store, same state
    const secondStore = new RedisCheckpointStore(redis2, { keyPrefix: prefix });
    const hub2 = hub.withStore(secondStore);
    const second = new EventHubsKafkaBridge({ routes: [{ source: hub2.client(), topic }], producer: producer(), logger, subscribe: { maxBatchSize: 8 } });
    second.start();
    await waitFor(async () => (await checkpointOf(secondStore, hubName, '1')) === 59 && (await checkpointOf(secondStore, hubName, '0')) === 59, 'second run checkpoints');
    await second.stop();

    const seqs = sequencesBySourcePartition(await readTopic(topic, 120));
    for (const p of ['0', '1']) expect(seqs.get(`${hubName}/${p}`)).toEqual(range(60)); // resumed right after the checkpoint
  });

  it('holds checkpoints back during a Kafka outage and recovers when Kafka returns', async () => {
    const topic = await createTopic(1);
    const [host, port] = testKafkaBrokers()[0].split(':');
    const proxy = new CuttableTcpProxy(host, Number(port));
    const proxyPort = await proxy.start();
    try {
      // every connection (bootstrap and the advertised broker address) goes through the proxy
      const viaProxy = producer({
        brokers: [`127.0.0.1:${proxyPort}`],
        connectionTimeout: 1_000,
        requestTimeout: 5_000,
        socketFactory: ({ onConnect }) => connect({ host: '127.0.0.1', port: proxyPort }, onConnect),
      });
      const { wrapped, acked } = recordingProducer(viaProxy);
      const violations: string[] = [];
      const store = guardedStore(redis, acked, violations);
      const hubName = uniqueName('insights-logs-noninteractiveusersigninlogs');
      const hub = new FakeEventHub(hubName, 2, store);
      for (let i = 0; i < 20; i++) hub.publish(i % 2, `before-${i}`);
      const bridge = new EventHubsKafkaBridge({
        routes: [{ source: hub.client(), topic }],
        producer: wrapped,
        logger,
        subscribe: { maxBatchSize: 4 },
        retry: { initialMs: 100, maxMs: 400 },
      });
      bridge.start();
      await waitFor(async () => (await checkpointOf(store, hubName, '0')) === 9 && (await checkpointOf(store, hubName, '1')) === 9, 'checkpoints before the outage');

      await proxy.cut();
      for (let i = 20; i < 40; i++) hub.publish(i % 2, `during-${i}`);
      await waitFor(() => bridge.partitionStats().every((s) => s.failedAttempts >= 2), 'failed attempts on both partitions', 60_000);
      expect(await checkpointOf(store, hubName, '0')).toBe(9);
      expect(await checkpointOf(store, hubName, '1')).toBe(9);

      await proxy.restore();
      await waitFor(async () => (await checkpointOf(store, hubName, '0')) === 19 && (await checkpointOf(store, hubName, '1')) === 19, 'checkpoints after recovery', 60_000);
      await bridge.stop();
      expect(violations).toEqual([]);

      const seqs = sequencesBySourcePartition(await readTopic(topic, 40));
      for (const p of ['0', '1']) {
        const got = seqs.get(`${hubName}/${p}`)!;
        // at-least-once: a batch cut mid-flight may appear twice, but nothing is missing and order holds
        expect([...new Set(got)]).toEqual(range(20));
        const firstSeen = got.filter((s, i) => got.indexOf(s) === i);
        expect(firstSeen).toEqual(range(20));
      }
    } finally {
      await proxy.close();
    }
  });
});

/**
 * Kafka helpers for integration tests and benchmarks (real broker): create a topic with N partitions and wait for
 * its leaders, produce messages, read a group's committed offsets and a topic's end offsets, read a whole topic
 * (e.g. a dead-letter topic) with its headers, delete topics.
 */
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { testKafkaBrokers } from './services.js';

export function testKafka(clientId = 'entrawatch-test'): Kafka {
  return new Kafka({ brokers: testKafkaBrokers(), clientId, logLevel: logLevel.ERROR });
}

async function withAdmin<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = testKafka('entrawatch-test-admin').admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

/** creates the topic (no-op if it exists) and waits until every partition has a leader */
export async function createTopic(topic: string, partitions = 3): Promise<void> {
  await withAdmin(async (admin) => {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
  });
}

export async function deleteTopics(topics: string[]): Promise<void> {
  await withAdmin(async (admin) => {
    const existing = new Set(await admin.listTopics());
    const present = topics.filter((t) => existing.has(t));
    if (present.length > 0) await admin.deleteTopics({ topics: present });
  });
}

export interface TestMessage {
  key?: string | Buffer | null;
  value: string | Buffer;
  partition?: number;
  headers?: Record<string, string>;
}

/** produces in order with acks=all, in requests of at most `maxRequestBytes` (the broker refuses > 1 MB) */
export async function produceMessages(topic: string, messages: TestMessage[], maxRequestBytes = 800_000): Promise<void> {
  const producer: Producer = testKafka('entrawatch-test-producer').producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    let chunk: TestMessage[] = [];
    let bytes = 0;
    for (const m of messages) {
      const size = m.value.length + (m.key?.length ?? 0);
      if (chunk.length > 0 && bytes + size > maxRequestBytes) {
        await producer.send({ topic, acks: -1, messages: chunk });
        chunk = [];
        bytes = 0;
      }
      chunk.push(m);
      bytes += size;
    }
    if (chunk.length > 0) await producer.send({ topic, acks: -1, messages: chunk });
  } finally {
    await producer.disconnect();
  }
}

/** committed offset (next offset to read) per partition; -1 where the group committed nothing */
export async function committedOffsets(groupId: string, topic: string): Promise<Map<number, number>> {
  return withAdmin(async (admin) => {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map((entry?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  });
}

/** log end offset (high watermark) per partition */
export async function endOffsets(topic: string): Promise<Map<number, number>> {
  return withAdmin(async (admin) => {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
  });
}

export interface ReadMessage {
  partition: number;
  offset: number;
  key: string | null;
  value: string;
  headers: Record<string, string>;
}

/**
 * Reads a topic from the beginning with a throwaway group until `count` messages arrived (or `timeoutMs` passed)
 * and returns them, headers decoded as strings.
 */
export async function readTopic(topic: string, count: number, timeoutMs = 20_000): Promise<ReadMessage[]> {
  const consumer = testKafka('entrawatch-test-reader').consumer({
    groupId: `reader-${topic}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    maxWaitTimeInMs: 200,
  });
  const out: ReadMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      void consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(message.headers ?? {})) {
            if (v !== undefined) headers[k] = Array.isArray(v) ? v.map(String).join(',') : v.toString();
          }
          out.push({
            partition,
            offset: Number(message.offset),
            key: message.key?.toString() ?? null,
            value: message.value?.toString() ?? '',
            headers,
          });
          if (out.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return out;
}

/** polls `check` every `intervalMs` until it returns true or `timeoutMs` passes; returns the last result */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

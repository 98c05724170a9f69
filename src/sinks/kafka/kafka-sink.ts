/**
 * Kafka output sink: events and/or detections as JSON to topics, keyed by user (so one user's records stay in
 * order in one partition), acks=all. deliver() resolves when the brokers acknowledged every record.
 */
import { CompressionTypes, type Kafka, type Message, type Producer } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
import { SinkFatalError } from '../../errors.js';
import type { DeliveryResult, OutputItem, Sink } from '../types.js';
import { encodeEventLine } from '../file/file-sink.js';
import type { KafkaSinkConfig } from './config.js';

/** Kafka errors that retrying cannot fix (authorization, unknown topic with auto-create off, too large). */
const FATAL_KAFKA_ERRORS = new Set(['TOPIC_AUTHORIZATION_FAILED', 'CLUSTER_AUTHORIZATION_FAILED', 'SASL_AUTHENTICATION_FAILED']);

export class KafkaSink implements Sink {
  readonly name: string;
  private producer: Producer | undefined;

  constructor(private readonly kafka: Kafka, private readonly config: KafkaSinkConfig, name = 'kafka') {
    this.name = name;
  }

  async start(): Promise<void> {
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 5, allowAutoTopicCreation: false });
    await this.producer.connect();
  }

  /** The Kafka messages this sink writes for the items, grouped by topic. */
  encode(items: OutputItem[]): Map<string, Message[]> {
    const byTopic = new Map<string, Message[]>();
    const add = (topic: string, message: Message) => {
      const list = byTopic.get(topic);
      if (list) list.push(message);
      else byTopic.set(topic, [message]);
    };
    for (const item of items) {
      if (item.type === 'event' && this.config.eventsTopic) {
        const e = item.event;
        add(this.config.eventsTopic, {
          key: String(e.cim.user ?? e.id),
          value: encodeEventLine(e, this.config.eventEncoding),
          timestamp: String(e.time),
          headers: { 'entrawatch-kind': e.kind, 'entrawatch-category': e.category, 'entrawatch-id': e.id },
        });
      } else if (item.type === 'detection' && this.config.detectionsTopic) {
        const d = item.detection;
        add(this.config.detectionsTopic, {
          key: d.cim.user ?? d.group[Object.keys(d.group)[0] ?? ''] ?? d.rule.id,
          value: JSON.stringify(d),
          timestamp: String(d.time),
          headers: { 'entrawatch-rule': d.rule.name ?? d.rule.id, 'entrawatch-level': d.rule.level, 'entrawatch-id': d.id },
        });
      }
    }
    return byTopic;
  }

  async deliver(items: OutputItem[], signal?: AbortSignal): Promise<DeliveryResult> {
    const producer = this.producer;
    if (!producer) throw new Error(`${this.name}: deliver() before start()`);
    const byTopic = this.encode(items);
    if (byTopic.size === 0) return { rejected: [] };
    const topicMessages = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    for (let attempt = 0; ; attempt++) {
      signal?.throwIfAborted();
      try {
        await producer.sendBatch({
          acks: -1,
          timeout: this.config.timeoutMs,
          compression: this.config.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
          topicMessages,
        });
        return { rejected: [] };
      } catch (err) {
        const type = (err as { type?: string }).type;
        if (type && FATAL_KAFKA_ERRORS.has(type)) {
          throw new SinkFatalError(this.name, `Kafka refused the output (${type}): check the sink's topics and ACLs`, undefined, { cause: err });
        }
        // kafkajs already retried a few times; keep trying with a growing, jittered pause until aborted
        const delay = Math.min(30_000, 500 * 2 ** Math.min(attempt, 6));
        await sleep(Math.random() * delay, undefined, { signal });
      }
    }
  }

  async close(): Promise<void> {
    await this.producer?.disconnect();
    this.producer = undefined;
  }
}

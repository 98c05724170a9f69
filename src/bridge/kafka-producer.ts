/**
 * The Kafka side of the bridge: `BridgeProducer` sends one batch of messages to a topic and resolves only when
 * Kafka acknowledged all of them (acks=all). `KafkajsBridgeProducer` implements it with kafkajs: idempotent
 * (when enabled and the broker supports it), one request in flight so order is kept, and a fresh producer after
 * a failure so a broken connection or a lost producer id does not wedge it. Retrying a failed batch is the
 * caller's job (the bridge retries forever with backoff).
 */
import { CompressionTypes, Kafka, logLevel, type KafkaConfig, type Message, type Producer } from 'kafkajs';
import type { Logger } from '../observability/logger.js';

export interface BridgeProducer {
  /** Resolves when every message is acknowledged by all in-sync replicas; rejects otherwise (nothing is retried here). */
  send(topic: string, messages: Message[]): Promise<void>;
  close(): Promise<void>;
}

export interface KafkajsBridgeProducerOptions {
  kafka: KafkaConfig;
  /** idempotent producer (default true): a retried request is written once */
  idempotent?: boolean;
  compression?: 'none' | 'gzip';
  logger?: Logger;
}

export class KafkajsBridgeProducer implements BridgeProducer {
  private readonly kafka: Kafka;
  private producer: Producer | undefined;
  private connecting: Promise<Producer> | undefined;
  private closed = false;
  private readonly compression: CompressionTypes;

  constructor(private readonly options: KafkajsBridgeProducerOptions) {
    this.kafka = new Kafka({
      logLevel: logLevel.NOTHING,
      ...options.kafka,
      // kafkajs' own retries are short: the bridge retries a failed batch itself, forever, with backoff
      retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 2_000, ...options.kafka.retry },
    });
    this.compression = options.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
  }

  private async ready(): Promise<Producer> {
    if (this.closed) throw new Error('the Kafka producer of the bridge is closed');
    if (this.producer) return this.producer;
    this.connecting ??= (async () => {
      const producer = this.kafka.producer({
        idempotent: this.options.idempotent ?? true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
      });
      try {
        await producer.connect();
      } catch (err) {
        await producer.disconnect().catch(() => undefined);
        throw err;
      }
      this.producer = producer;
      return producer;
    })().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  async send(topic: string, messages: Message[]): Promise<void> {
    if (messages.length === 0) return;
    const producer = await this.ready();
    try {
      await producer.send({ topic, messages, acks: -1, compression: this.compression });
    } catch (err) {
      // start over with a new producer (new connections, new producer id) on the next attempt
      if (this.producer === producer) this.producer = undefined;
      producer.disconnect().catch(() => undefined);
      throw err;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const producer = this.producer ?? (await this.connecting?.catch(() => undefined));
    this.producer = undefined;
    await producer?.disconnect();
  }
}

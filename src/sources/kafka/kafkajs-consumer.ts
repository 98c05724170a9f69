/**
 * ConsumerClient on kafkajs: consumer group, eachBatch with auto-commit and auto-resolve OFF (the pipeline resolves
 * the fetch position itself and commits only what every sink has), pause/resume, and the group events the pipeline
 * needs (GROUP_JOIN -> new assignment, REBALANCING -> partitions about to be revoked, CRASH).
 */
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import type {
  BatchHandler,
  ConsumerClient,
  ConsumerEventHandlers,
  SourceMessage,
  TopicPartition,
  TopicPartitionOffset,
} from './types.js';
import type { KafkaSourceConfig } from './config.js';

export type KafkaConsumerOptions = Pick<
  KafkaSourceConfig,
  | 'groupId'
  | 'sessionTimeoutMs'
  | 'heartbeatIntervalMs'
  | 'maxBytesPerPartition'
  | 'maxBytes'
  | 'maxWaitTimeMs'
  | 'partitionsConsumedConcurrently'
> &
  Partial<Pick<KafkaSourceConfig, 'metadataMaxAgeMs'>>;

function toSourceMessage(m: KafkaMessage): SourceMessage {
  return { offset: m.offset, key: m.key, value: m.value, headers: m.headers ?? {}, timestamp: m.timestamp };
}

export class KafkajsConsumerClient implements ConsumerClient {
  private readonly consumer: Consumer;
  private readonly partitionsConsumedConcurrently: number;
  private readonly removers: Array<() => void> = [];

  constructor(kafka: Kafka, options: KafkaConsumerOptions) {
    this.partitionsConsumedConcurrently = options.partitionsConsumedConcurrently;
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: options.heartbeatIntervalMs,
      maxBytesPerPartition: options.maxBytesPerPartition,
      maxBytes: options.maxBytes,
      maxWaitTimeInMs: options.maxWaitTimeMs,
      metadataMaxAge: options.metadataMaxAgeMs,
    });
  }

  connect(): Promise<void> {
    return this.consumer.connect();
  }

  async subscribe(topics: string[], fromBeginning: boolean): Promise<void> {
    await this.consumer.subscribe({ topics, fromBeginning });
  }

  async run(handler: BatchHandler, events: ConsumerEventHandlers): Promise<void> {
    const { GROUP_JOIN, REBALANCING, CRASH } = this.consumer.events;
    this.removers.push(
      this.consumer.on(GROUP_JOIN, (e) => {
        const assignment: TopicPartition[] = [];
        for (const [topic, partitions] of Object.entries(e.payload.memberAssignment)) {
          for (const partition of partitions) assignment.push({ topic, partition });
        }
        events.onAssignment?.(assignment);
      }),
      this.consumer.on(REBALANCING, () => events.onRebalancing?.()),
      this.consumer.on(CRASH, (e) => events.onCrash?.(e.payload.error, e.payload.restart)),
    );
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.partitionsConsumedConcurrently,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        await handler(
          {
            topic: batch.topic,
            partition: batch.partition,
            highWatermark: batch.highWatermark,
            messages: batch.messages.map(toSourceMessage),
          },
          { resolveOffset, heartbeat, isRunning, isStale },
        );
      },
    });
  }

  pause(topics: string[]): void {
    this.consumer.pause(topics.map((topic) => ({ topic })));
  }

  resume(topics: string[]): void {
    this.consumer.resume(topics.map((topic) => ({ topic })));
  }

  async commit(offsets: TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    await this.consumer.commitOffsets(offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset })));
  }

  async disconnect(): Promise<void> {
    for (const remove of this.removers.splice(0)) remove();
    await this.consumer.disconnect();
  }
}

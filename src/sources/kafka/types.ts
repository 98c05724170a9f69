/**
 * The small Kafka client interface the pipeline depends on (DESIGN decision 10). kafkajs sits behind it today
 * (kafkajs-consumer.ts, kafkajs-producer.ts); another client can replace it without touching the pipeline.
 */

export interface TopicPartition {
  topic: string;
  partition: number;
}

/** A committed position: `offset` is the NEXT offset to read (Kafka convention), as a decimal string. */
export interface TopicPartitionOffset extends TopicPartition {
  offset: string;
}

export type SourceHeaders = Record<string, Buffer | string | Array<Buffer | string> | undefined>;

export interface SourceMessage {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: SourceHeaders;
  /** producer timestamp, epoch ms as a string */
  timestamp: string;
}

export interface SourceBatch {
  topic: string;
  partition: number;
  /** offset the next produced message will get (log end) */
  highWatermark: string;
  messages: SourceMessage[];
}

/** What the batch handler may do while it works on one batch. */
export interface BatchControl {
  /** moves the fetch position past `offset` (NOT a commit: commits are explicit, see ConsumerClient.commit) */
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
  /** false once the consumer is stopping: stop taking messages from the batch */
  isRunning(): boolean;
  /** true when the partition was re-positioned (seek / rebalance) and the rest of the batch is outdated */
  isStale(): boolean;
}

export type BatchHandler = (batch: SourceBatch, control: BatchControl) => Promise<void>;

export interface ConsumerEventHandlers {
  /** the group (re)joined: `assignment` is every partition this member owns now; the previous ones are revoked */
  onAssignment?(assignment: TopicPartition[]): void;
  /** the member left the generation it was in (a rebalance started): its partitions are about to be revoked */
  onRebalancing?(): void;
  /** the client gave up; `restart` tells whether it restarts on its own */
  onCrash?(error: Error, restart: boolean): void;
}

export interface ConsumerClient {
  connect(): Promise<void>;
  subscribe(topics: string[], fromBeginning: boolean): Promise<void>;
  /** starts the fetch loop with manual offset control (no auto-commit, no auto-resolve) */
  run(handler: BatchHandler, events: ConsumerEventHandlers): Promise<void>;
  /** stops fetching from these topics (all their partitions) until `resume` */
  pause(topics: string[]): void;
  resume(topics: string[]): void;
  /** commits the given positions for the group; rejects when the commit failed */
  commit(offsets: TopicPartitionOffset[]): Promise<void>;
  /** leaves the group and closes connections; commits nothing */
  disconnect(): Promise<void>;
}

export interface ProducedMessage {
  key: Buffer | string | null;
  value: Buffer | string;
  headers: Record<string, string>;
}

export interface ProducerClient {
  connect(): Promise<void>;
  /** resolves only when every message is written with acks=all; rejects otherwise */
  send(topic: string, messages: ProducedMessage[]): Promise<void>;
  disconnect(): Promise<void>;
}

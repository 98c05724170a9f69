/**
 * The small interface the bridge reads Event Hubs through. The real implementation
 * (azure-event-source.ts) wraps @azure/event-hubs' EventHubConsumerClient with the Redis checkpoint store;
 * tests drive the bridge with a fake that behaves like the SDK: per partition, one `processEvents` call at a
 * time, the next batch only after the previous call returned, and a batch whose handler throws is NOT
 * redelivered (so the bridge must never throw from processEvents except when it is stopping).
 */

/** One received event, as the SDK's ReceivedEventData has it (a structural subset). */
export interface SourceEvent {
  /**
   * The body. A Buffer holding the bytes as sent when the message has an AMQP data section (Azure Monitor's
   * case, read with skipParsingBodyAsJson); otherwise what the SDK decoded (AMQP value / sequence sections).
   */
  body: unknown;
  partitionKey: string | null;
  sequenceNumber: number;
  /** Event Hubs offset: a string in @azure/event-hubs v6 */
  offset: string;
  enqueuedTimeUtc: Date;
  contentType?: string;
}

export interface SourcePartitionContext {
  readonly fullyQualifiedNamespace: string;
  readonly eventHubName: string;
  readonly consumerGroup: string;
  readonly partitionId: string;
  /** Records that everything up to and including `event` is done: reading resumes after it. */
  updateCheckpoint(event: SourceEvent): Promise<void>;
}

export type SourceCloseReason = 'OwnershipLost' | 'Shutdown';

export interface EventSourceHandlers {
  processEvents(events: SourceEvent[], context: SourcePartitionContext): Promise<void>;
  processError(error: Error, context: SourcePartitionContext): Promise<void>;
  processInitialize?(context: SourcePartitionContext): Promise<void>;
  processClose?(reason: SourceCloseReason, context: SourcePartitionContext): Promise<void>;
}

export interface EventSourceSubscribeOptions {
  maxBatchSize: number;
  maxWaitTimeInSeconds: number;
  /** where a partition without a checkpoint starts */
  startPosition: 'earliest' | 'latest';
}

export interface EventSourceSubscription {
  close(): Promise<void>;
}

/** One event hub (with one consumer group) to read. */
export interface EventSourceClient {
  readonly eventHubName: string;
  subscribe(handlers: EventSourceHandlers, options: EventSourceSubscribeOptions): EventSourceSubscription;
  close(): Promise<void>;
}

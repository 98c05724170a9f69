/**
 * The real `EventSourceClient`: one @azure/event-hubs `EventHubConsumerClient` for one hub and consumer group,
 * with a CheckpointStore (RedisCheckpointStore in production) so several bridge processes balance the
 * partitions between them and resume from the checkpoints. Bodies are read with `skipParsingBodyAsJson`, so an
 * AMQP data section (every Azure Monitor message) arrives as the exact bytes that were sent.
 *
 * Not covered by automated tests here (no Azure namespace, and the Event Hubs emulator needs Docker): the bridge
 * tests drive `EventHubsKafkaBridge` through a fake `EventSourceClient` instead.
 */
import {
  EventHubConsumerClient,
  earliestEventPosition,
  latestEventPosition,
  type CheckpointStore,
  type PartitionContext,
  type ReceivedEventData,
  type Subscription,
} from '@azure/event-hubs';
import type {
  EventSourceClient,
  EventSourceHandlers,
  EventSourceSubscribeOptions,
  EventSourceSubscription,
  SourcePartitionContext,
} from './event-source.js';

export interface AzureEventSourceOptions {
  connectionString: string;
  eventHubName: string;
  consumerGroup: string;
  checkpointStore: CheckpointStore;
  loadBalancing?: {
    strategy?: 'balanced' | 'greedy';
    updateIntervalInMs?: number;
    partitionOwnershipExpirationIntervalInMs?: number;
  };
  /** shown in Event Hubs diagnostics */
  identifier?: string;
}

export class AzureEventSourceClient implements EventSourceClient {
  readonly eventHubName: string;
  private readonly client: EventHubConsumerClient;

  constructor(private readonly options: AzureEventSourceOptions) {
    this.eventHubName = options.eventHubName;
    this.client = new EventHubConsumerClient(
      options.consumerGroup,
      options.connectionString,
      options.eventHubName,
      options.checkpointStore,
      {
        loadBalancingOptions: options.loadBalancing ?? {},
        userAgent: 'entrawatch-bridge',
        ...(options.identifier ? { identifier: options.identifier } : {}),
      },
    );
  }

  subscribe(handlers: EventSourceHandlers, options: EventSourceSubscribeOptions): EventSourceSubscription {
    const store = this.options.checkpointStore;
    const wrap = (context: PartitionContext): SourcePartitionContext => ({
      fullyQualifiedNamespace: context.fullyQualifiedNamespace,
      eventHubName: context.eventHubName,
      consumerGroup: context.consumerGroup,
      partitionId: context.partitionId,
      // exactly what the SDK's PartitionContext.updateCheckpoint writes, without needing a ReceivedEventData
      updateCheckpoint: (event) =>
        store.updateCheckpoint({
          fullyQualifiedNamespace: context.fullyQualifiedNamespace,
          eventHubName: context.eventHubName,
          consumerGroup: context.consumerGroup,
          partitionId: context.partitionId,
          sequenceNumber: event.sequenceNumber,
          offset: event.offset,
        }),
    });
    const subscription: Subscription = this.client.subscribe(
      {
        processEvents: (events: ReceivedEventData[], context) => handlers.processEvents(events, wrap(context)),
        processError: (error, context) => handlers.processError(error, wrap(context)),
        processInitialize: async (context) => handlers.processInitialize?.(wrap(context)),
        processClose: async (reason, context) => handlers.processClose?.(reason, wrap(context)),
      },
      {
        maxBatchSize: options.maxBatchSize,
        maxWaitTimeInSeconds: options.maxWaitTimeInSeconds,
        startPosition: options.startPosition === 'earliest' ? earliestEventPosition : latestEventPosition,
        skipParsingBodyAsJson: true,
      },
    );
    return { close: () => subscription.close() };
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

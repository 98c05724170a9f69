/**
 * `EventHubsKafkaBridge`: reads event hubs (through `EventSourceClient`s) and produces every event unchanged to
 * Kafka. Per partition it works strictly in order: a batch is produced, and only when Kafka acknowledged all of
 * it is the checkpoint moved to its last event. If Kafka is down, production is retried with backoff for as
 * long as it takes; the partition waits (the SDK fetches its next batch only after processEvents returns), so no
 * checkpoint ever passes an unacknowledged event and the bridge resumes by itself when Kafka is back.
 * On stop, retries are abandoned without checkpointing: those events are read again on the next start.
 */
import type { Logger } from '../observability/logger.js';
import { redactSecrets } from '../observability/logger.js';
import type { EventSourceClient, EventSourceSubscribeOptions, EventSourceSubscription, SourceEvent, SourcePartitionContext } from './event-source.js';
import type { BridgeProducer } from './kafka-producer.js';
import { toKafkaMessage } from './kafka-message.js';
import { RetryAbortedError, retryUntilAborted } from './retry.js';

export interface BridgeRoute {
  source: EventSourceClient;
  /** Kafka topic the hub's events go to */
  topic: string;
}

export interface EventHubsKafkaBridgeOptions {
  routes: BridgeRoute[];
  producer: BridgeProducer;
  logger: Logger;
  subscribe?: Partial<EventSourceSubscribeOptions>;
  retry?: { initialMs?: number; maxMs?: number };
}

/** What the bridge did for one partition of one hub. */
export interface BridgePartitionStats {
  hub: string;
  partitionId: string;
  /** events acknowledged by Kafka */
  delivered: number;
  /** sequence number of the last event Kafka acknowledged */
  lastDeliveredSequenceNumber?: number;
  /** sequence number of the last checkpoint written */
  lastCheckpointSequenceNumber?: number;
  /** failed production attempts so far (each was retried) */
  failedAttempts: number;
}

/** Thrown out of processEvents only when the bridge stops mid-retry: the batch is not checkpointed. */
export class BridgeStoppingError extends Error {
  constructor() {
    super('the bridge is stopping: this batch was not acknowledged by Kafka and is not checkpointed');
    this.name = 'BridgeStoppingError';
  }
}

export class EventHubsKafkaBridge {
  private readonly abort = new AbortController();
  private readonly subscriptions: EventSourceSubscription[] = [];
  private readonly stats = new Map<string, BridgePartitionStats>();
  private readonly subscribeOptions: EventSourceSubscribeOptions;
  private readonly retry: { initialMs: number; maxMs: number };
  private started = false;

  constructor(private readonly options: EventHubsKafkaBridgeOptions) {
    this.subscribeOptions = {
      maxBatchSize: options.subscribe?.maxBatchSize ?? 100,
      maxWaitTimeInSeconds: options.subscribe?.maxWaitTimeInSeconds ?? 5,
      startPosition: options.subscribe?.startPosition ?? 'earliest',
    };
    this.retry = { initialMs: options.retry?.initialMs ?? 500, maxMs: options.retry?.maxMs ?? 30_000 };
  }

  start(): void {
    if (this.started) throw new Error('the bridge is already started');
    this.started = true;
    for (const route of this.options.routes) {
      const subscription = route.source.subscribe(
        {
          processEvents: (events, context) => this.processEvents(route, events, context),
          processError: async (error, context) => {
            if (error instanceof BridgeStoppingError) return;
            this.options.logger.warn(
              { hub: context.eventHubName, partition: context.partitionId || undefined, err: error },
              'Event Hubs reported an error (the SDK retries by itself)',
            );
          },
          processInitialize: async (context) => {
            this.options.logger.info({ hub: context.eventHubName, partition: context.partitionId }, 'bridging partition');
          },
          processClose: async (reason, context) => {
            this.options.logger.info({ hub: context.eventHubName, partition: context.partitionId, reason }, 'partition closed');
          },
        },
        this.subscribeOptions,
      );
      this.subscriptions.push(subscription);
    }
  }

  /** Stops reading: abandons retries in progress (without checkpoints), then closes the subscriptions. */
  async stop(): Promise<void> {
    this.abort.abort();
    const subs = this.subscriptions.splice(0);
    await Promise.all(subs.map((s) => s.close()));
  }

  partitionStats(): BridgePartitionStats[] {
    return [...this.stats.values()].map((s) => ({ ...s }));
  }

  private statsFor(hub: string, partitionId: string): BridgePartitionStats {
    const id = `${hub}/${partitionId}`;
    let s = this.stats.get(id);
    if (!s) {
      s = { hub, partitionId, delivered: 0, failedAttempts: 0 };
      this.stats.set(id, s);
    }
    return s;
  }

  private async processEvents(route: BridgeRoute, events: SourceEvent[], context: SourcePartitionContext): Promise<void> {
    if (events.length === 0) return;
    const hub = context.eventHubName;
    const partitionId = context.partitionId;
    const stats = this.statsFor(hub, partitionId);
    const messages = events.map((e) => toKafkaMessage(e, hub, partitionId));
    const last = events[events.length - 1];

    try {
      await retryUntilAborted(() => this.options.producer.send(route.topic, messages), this.abort.signal, {
        ...this.retry,
        onRetry: (err, attempt, delayMs) => {
          stats.failedAttempts++;
          this.options.logger.warn(
            { hub, partition: partitionId, topic: route.topic, attempt, delayMs, err: errorSummary(err) },
            'Kafka did not acknowledge the batch: holding the checkpoint back and retrying',
          );
        },
      });
    } catch (err) {
      if (err instanceof RetryAbortedError) throw new BridgeStoppingError();
      throw err;
    }
    stats.delivered += events.length;
    stats.lastDeliveredSequenceNumber = last.sequenceNumber;

    // Kafka has everything up to `last`: move the checkpoint. A failed checkpoint write only means these events
    // are read (and produced) again after a restart, so it is logged, not retried into a stall.
    try {
      await context.updateCheckpoint(last);
      stats.lastCheckpointSequenceNumber = last.sequenceNumber;
    } catch (err) {
      this.options.logger.warn(
        { hub, partition: partitionId, sequenceNumber: last.sequenceNumber, err: errorSummary(err) },
        'could not write the checkpoint (events are in Kafka; they will be bridged again after a restart)',
      );
    }
  }
}

function errorSummary(err: unknown): { name: string; message: string } {
  const e = err instanceof Error ? err : new Error(String(err));
  return { name: e.name, message: redactSecrets(e.message) };
}

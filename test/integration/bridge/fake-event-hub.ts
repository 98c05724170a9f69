/**
 * A fake Event Hub for tests: partitions of events in memory, read through the bridge's `EventSourceClient`
 * interface the way @azure/event-hubs' EventHubConsumerClient does it: per partition, start after the stored
 * checkpoint (else at the start position), one processEvents call at a time, the next batch only after the
 * previous call returned, and a batch whose handler threw is passed to processError and NOT delivered again.
 * Checkpoints go to a real CheckpointStore (e.g. RedisCheckpointStore).
 */
import type { CheckpointStore } from '@azure/event-hubs';
import type {
  EventSourceClient,
  EventSourceHandlers,
  EventSourceSubscribeOptions,
  EventSourceSubscription,
  SourceEvent,
  SourcePartitionContext,
} from '../../../src/bridge/event-source.js';

export const FAKE_NAMESPACE = 'fake-ns.servicebus.windows.net';

export class FakeEventHub {
  readonly partitions: SourceEvent[][];

  constructor(
    readonly name: string,
    partitionCount: number,
    readonly store: CheckpointStore,
    readonly consumerGroup = '$Default',
  ) {
    this.partitions = Array.from({ length: partitionCount }, () => []);
  }

  /** The same hub (same partitions and events) checkpointing to another store: a second bridge process. */
  withStore(store: CheckpointStore): FakeEventHub {
    const other = new FakeEventHub(this.name, 0, store, this.consumerGroup);
    (other as { partitions: SourceEvent[][] }).partitions = this.partitions;
    return other;
  }

  /** Appends an event to a partition, like Event Hubs would (sequence number = position, offset grows). */
  publish(partitionId: number, body: unknown, partitionKey: string | null = null, contentType?: string): SourceEvent {
    const list = this.partitions[partitionId];
    const event: SourceEvent = {
      body,
      partitionKey,
      sequenceNumber: list.length,
      offset: String(list.length * 4096 + 17),
      enqueuedTimeUtc: new Date(Date.UTC(2026, 0, 1, 0, 0, 0) + list.length * 1000),
      ...(contentType ? { contentType } : {}),
    };
    list.push(event);
    return event;
  }

  client(): EventSourceClient {
    const hub = this;
    const running = new Set<{ stop: () => Promise<void> }>();
    return {
      eventHubName: hub.name,
      subscribe(handlers: EventSourceHandlers, options: EventSourceSubscribeOptions): EventSourceSubscription {
        let active = true;
        const loops = hub.partitions.map((_, p) => hub.pump(String(p), handlers, options, () => active));
        const sub = {
          stop: async () => {
            active = false;
            await Promise.all(loops);
          },
        };
        running.add(sub);
        return {
          close: async () => {
            running.delete(sub);
            await sub.stop();
          },
        };
      },
      async close() {
        await Promise.all([...running].map((s) => s.stop()));
      },
    };
  }

  private async pump(
    partitionId: string,
    handlers: EventSourceHandlers,
    options: EventSourceSubscribeOptions,
    isActive: () => boolean,
  ): Promise<void> {
    const scope = { fullyQualifiedNamespace: FAKE_NAMESPACE, eventHubName: this.name, consumerGroup: this.consumerGroup };
    const context: SourcePartitionContext = {
      ...scope,
      partitionId,
      updateCheckpoint: (event) =>
        this.store.updateCheckpoint({ ...scope, partitionId, sequenceNumber: event.sequenceNumber, offset: event.offset }),
    };
    const events = this.partitions[Number(partitionId)];
    await handlers.processInitialize?.(context);
    const checkpoint = (await this.store.listCheckpoints(FAKE_NAMESPACE, this.name, this.consumerGroup)).find(
      (c) => c.partitionId === partitionId,
    );
    // like the SDK: resume after the checkpointed event (an exclusive offset position)
    let position = checkpoint ? checkpoint.sequenceNumber + 1 : options.startPosition === 'earliest' ? 0 : events.length;
    while (isActive()) {
      const batch = events.slice(position, position + options.maxBatchSize);
      if (batch.length === 0) {
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      try {
        await handlers.processEvents(batch, context);
      } catch (err) {
        await handlers.processError(err as Error, context);
      }
      position += batch.length;
    }
    await handlers.processClose?.('Shutdown', context);
  }
}

/** A CheckpointStore in memory (for unit tests); ownership is not used by the fake hub. */
export class MemoryCheckpointStore implements CheckpointStore {
  readonly checkpoints = new Map<string, { sequenceNumber: number; offset: string }>();
  readonly writes: Array<{ hub: string; partitionId: string; sequenceNumber: number }> = [];
  async listOwnership() {
    return [];
  }
  async claimOwnership() {
    return [];
  }
  async listCheckpoints(fullyQualifiedNamespace: string, eventHubName: string, consumerGroup: string) {
    return [...this.checkpoints.entries()]
      .filter(([k]) => k.startsWith(`${eventHubName}/`))
      .map(([k, v]) => ({ fullyQualifiedNamespace, eventHubName, consumerGroup, partitionId: k.split('/')[1], ...v }));
  }
  async updateCheckpoint(c: { eventHubName: string; partitionId: string; sequenceNumber: number; offset: string }) {
    this.checkpoints.set(`${c.eventHubName}/${c.partitionId}`, { sequenceNumber: c.sequenceNumber, offset: c.offset });
    this.writes.push({ hub: c.eventHubName, partitionId: c.partitionId, sequenceNumber: c.sequenceNumber });
  }
}

/** Resolves when `condition` holds, polling; rejects with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

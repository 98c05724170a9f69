/**
 * The heart of the worker: takes each fetched Kafka batch through decode -> normalize -> rules -> sinks and marks
 * its offsets done only when every record and every detection of it is delivered to every sink or dead-lettered.
 *
 * - Decode and rule evaluation run inside the batch handler (in order per partition); delivery runs in the
 *   background, so fetching goes on while HEC acknowledges. `maxInFlightBytes` bounds what is taken in and not yet
 *   delivered: above it `onBackpressure(true)` pauses fetching, below 3/4 of it `onBackpressure(false)` resumes.
 * - Transient failures (rule state store, sink errors the sink gave up on, dead-letter writes) are retried with
 *   backoff, never dropped. A SinkFatalError calls `onFatal` at once; nothing of that unit is marked done.
 * - `drain` stops taking messages, waits for in-flight units, and gives up (aborts) what is left after a timeout;
 *   given-up units stay uncommitted and are read again by the next owner of the partition.
 */
import { setMaxListeners } from 'node:events';
import { SinkFatalError } from '../errors.js';
import type { EntraEvent, RecordOrigin } from '../normalize/event.js';
import type { Logger } from '../observability/logger.js';
import type { WorkerMetrics } from '../observability/metrics.js';
import type { Detection } from '../rules/types.js';
import type { DeliveryResult, OutputItem, Sink } from '../sinks/types.js';
import type { BatchControl, SourceBatch } from '../sources/kafka/types.js';
import { backoffDelay, sleep } from './backoff.js';
import type { PipelineConfig } from './config.js';
import type { DeadLetter, DeadLetterWriter } from './dead-letters.js';
import type { OffsetTracker, PartitionOffsets } from './offset-tracker.js';
import type { RecordReader } from './record-reader.js';

/** The part of the rule engine (src/rules/engine.ts) the pipeline uses. */
export interface DetectionEngine {
  processBatch(events: EntraEvent[]): Promise<Detection[]>;
}

export interface StreamPipelineOptions {
  reader: RecordReader;
  engine: DetectionEngine;
  sinks: readonly Sink[];
  deadLetters: DeadLetterWriter;
  tracker: OffsetTracker;
  metrics: WorkerMetrics;
  logger: Logger;
  config: Pick<PipelineConfig, 'maxInFlightBytes' | 'maxBatchItems' | 'retryBackoffMs' | 'retryBackoffMaxMs'>;
  /** true: in-flight bytes reached the limit, pause fetching; false: resume */
  onBackpressure(paused: boolean): void;
  /** a sink can never work with this configuration: stop at once, commit nothing further */
  onFatal(error: SinkFatalError): void;
}

interface Unit {
  topic: string;
  partition: number;
  tracker: PartitionOffsets;
  offsets: number[];
  bytes: number;
  events: EntraEvent[];
  deadLetters: DeadLetter[];
}

class AbandonedError extends Error {
  constructor() {
    super('delivery given up: the worker is stopping');
    this.name = 'AbandonedError';
  }
}

function isFatal(err: unknown): err is SinkFatalError {
  return err instanceof SinkFatalError || (err instanceof Error && err.name === 'SinkFatalError');
}

function jsonOf(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (err) {
    return JSON.stringify({ unserializable: String(err) });
  }
}

export class StreamPipeline {
  private inFlightBytesNow = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private stopping = false;
  private pressured = false;
  private activeHandlers = 0;
  private fatalRaised = false;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly opts: StreamPipelineOptions) {
    // every in-flight delivery listens on this one signal
    setMaxListeners(0, this.abort.signal);
  }

  get inFlightBytes(): number {
    return this.inFlightBytesNow;
  }

  get inFlightUnits(): number {
    return this.inFlight.size;
  }

  /** the BatchHandler for the consumer */
  readonly handleBatch = async (batch: SourceBatch, control: BatchControl): Promise<void> => {
    if (this.stopping) return;
    this.activeHandlers++;
    try {
      await this.takeBatch(batch, control);
    } finally {
      this.activeHandlers--;
      this.notifyIdle();
    }
  };

  private async takeBatch(batch: SourceBatch, control: BatchControl): Promise<void> {
    const { topic, partition } = batch;
    const { metrics, tracker, reader, config } = this.opts;
    const pt = tracker.partition(topic, partition);
    pt.highWatermark = Number(batch.highWatermark);
    const lag = pt.lag();
    if (lag !== undefined) metrics.consumerLag.set({ topic, partition: String(partition) }, lag);

    const source = `kafka:${topic}`;
    let unit = this.newUnit(topic, partition, pt);
    let messages = 0;
    let records = 0;
    for (const message of batch.messages) {
      if (this.stopping || !control.isRunning() || control.isStale()) break;
      const offset = Number(message.offset);
      if (offset <= pt.lastBegun) {
        // fetched again while the first copy is still in this epoch's pipeline
        control.resolveOffset(message.offset);
        continue;
      }
      pt.begin(offset);
      unit.offsets.push(offset);
      unit.bytes += (message.value?.length ?? 0) + (message.key?.length ?? 0);
      messages++;
      if (message.value && message.value.length > 0) {
        const origin: RecordOrigin = { source, topic, partition, offset: message.offset, line: offset };
        const read = reader(message.value, origin);
        records += read.events.length;
        for (const event of read.events) unit.events.push(event);
        for (const f of read.failures) {
          unit.deadLetters.push({
            kind: f.kind,
            reason: f.reason,
            topic,
            partition,
            offset: message.offset,
            recordIndex: f.recordIndex,
            recordIndexes: f.recordIndexes,
            key: message.key,
            value: f.value,
          });
        }
      }
      control.resolveOffset(message.offset);
      if (unit.events.length >= config.maxBatchItems) {
        await this.dispatch(unit, control);
        unit = this.newUnit(topic, partition, pt);
      }
    }
    if (unit.offsets.length > 0) await this.dispatch(unit, control);
    if (messages > 0) {
      metrics.messagesIn.inc({ topic }, messages);
      metrics.recordsIn.inc({ topic }, records);
      metrics.batchMessages.observe(messages);
      metrics.batchRecords.observe(records);
    }
  }

  private newUnit(topic: string, partition: number, tracker: PartitionOffsets): Unit {
    return { topic, partition, tracker, offsets: [], bytes: 0, events: [], deadLetters: [] };
  }

  /** evaluates the rules for the unit (in the handler), then delivers it in the background */
  private async dispatch(unit: Unit, control: BatchControl): Promise<void> {
    this.addInFlight(unit.bytes);
    let detections: Detection[];
    try {
      detections = unit.events.length > 0 ? await this.detect(unit.events, control) : [];
    } catch (err) {
      this.releaseInFlight(unit.bytes);
      if (!(err instanceof AbandonedError)) throw err;
      return;
    }
    for (const d of detections) {
      this.opts.metrics.detections.inc({ rule: d.rule.name ?? d.rule.id, level: d.rule.level });
    }
    const delivery = this.deliverUnit(unit, detections).then(
      () => {
        for (const offset of unit.offsets) unit.tracker.complete(offset);
      },
      (err: unknown) => {
        if (isFatal(err)) this.raiseFatal(err);
        else if (!(err instanceof AbandonedError)) {
          this.opts.logger.error({ err, topic: unit.topic, partition: unit.partition }, 'delivery failed; offsets stay uncommitted');
        }
      },
    );
    const tracked = delivery.finally(() => {
      this.releaseInFlight(unit.bytes);
      this.inFlight.delete(tracked);
      this.notifyIdle();
    });
    this.inFlight.add(tracked);
  }

  private async detect(events: EntraEvent[], control: BatchControl): Promise<Detection[]> {
    for (let attempt = 0; ; attempt++) {
      if (this.abort.signal.aborted) throw new AbandonedError();
      try {
        return await this.opts.engine.processBatch(events);
      } catch (err) {
        const wait = backoffDelay(attempt, this.opts.config.retryBackoffMs, this.opts.config.retryBackoffMaxMs);
        this.opts.logger.warn({ err, attempt, retryInMs: wait }, 'rule evaluation failed; retrying');
        await sleep(wait, this.abort.signal);
        if (!this.abort.signal.aborted) await control.heartbeat().catch(() => undefined);
      }
    }
  }

  private async deliverUnit(unit: Unit, detections: Detection[]): Promise<void> {
    const items: OutputItem[] = [];
    for (const event of unit.events) items.push({ type: 'event', event });
    for (const detection of detections) items.push({ type: 'detection', detection });
    const [results] = await Promise.all([
      items.length > 0 ? Promise.all(this.opts.sinks.map((sink) => this.deliverToSink(sink, items))) : [],
      unit.deadLetters.length > 0 ? this.writeDeadLetters(unit.deadLetters) : undefined,
    ]);
    const rejectedLetters: DeadLetter[] = [];
    const lastOffset = String(unit.offsets[unit.offsets.length - 1]);
    results.forEach((result, i) => {
      const sink = this.opts.sinks[i];
      let rejectedEvents = 0;
      for (const { item, reason } of result.rejected) {
        if (item.type === 'event') rejectedEvents++;
        const origin = item.type === 'event' ? item.event.origin : undefined;
        rejectedLetters.push({
          kind: 'sink_rejected',
          reason,
          sink: sink.name,
          topic: unit.topic,
          partition: unit.partition,
          offset: origin?.offset ?? lastOffset,
          recordIndex: origin?.index,
          key: item.type === 'event' ? item.event.id : item.detection.id,
          value: item.type === 'event' ? jsonOf(item.event.raw) : jsonOf(item.detection),
        });
      }
      const rejectedDetections = result.rejected.length - rejectedEvents;
      this.opts.metrics.recordsOut.inc({ sink: sink.name, type: 'event' }, unit.events.length - rejectedEvents);
      this.opts.metrics.recordsOut.inc({ sink: sink.name, type: 'detection' }, detections.length - rejectedDetections);
    });
    if (rejectedLetters.length > 0) await this.writeDeadLetters(rejectedLetters);
  }

  private async deliverToSink(sink: Sink, items: OutputItem[]): Promise<DeliveryResult> {
    const { metrics, logger, config } = this.opts;
    for (let attempt = 0; ; attempt++) {
      if (this.abort.signal.aborted) throw new AbandonedError();
      const started = performance.now();
      try {
        const result = await sink.deliver(items, this.abort.signal);
        metrics.sinkDeliverySeconds.observe({ sink: sink.name }, (performance.now() - started) / 1000);
        return result;
      } catch (err) {
        if (isFatal(err)) {
          metrics.sinkErrors.inc({ sink: sink.name, kind: 'fatal' });
          throw err;
        }
        if (this.abort.signal.aborted) throw new AbandonedError();
        metrics.sinkErrors.inc({ sink: sink.name, kind: 'retry' });
        const wait = backoffDelay(attempt, config.retryBackoffMs, config.retryBackoffMaxMs);
        logger.warn({ err, sink: sink.name, items: items.length, attempt, retryInMs: wait }, 'sink delivery failed; retrying');
        await sleep(wait, this.abort.signal);
      }
    }
  }

  private async writeDeadLetters(letters: DeadLetter[]): Promise<void> {
    const { metrics, logger, config, deadLetters } = this.opts;
    for (let attempt = 0; ; attempt++) {
      if (this.abort.signal.aborted) throw new AbandonedError();
      try {
        await deadLetters.write(letters);
        for (const l of letters) metrics.deadLetters.inc({ reason: l.kind });
        for (const l of letters.slice(0, 20)) {
          logger.warn(
            { kind: l.kind, reason: l.reason, topic: l.topic, partition: l.partition, offset: l.offset, recordIndex: l.recordIndex },
            'dead-lettered',
          );
        }
        return;
      } catch (err) {
        if (this.abort.signal.aborted) throw new AbandonedError();
        const wait = backoffDelay(attempt, config.retryBackoffMs, config.retryBackoffMaxMs);
        logger.warn({ err, letters: letters.length, attempt, retryInMs: wait }, 'dead-letter write failed; retrying');
        await sleep(wait, this.abort.signal);
      }
    }
  }

  private addInFlight(bytes: number): void {
    this.inFlightBytesNow += bytes;
    this.opts.metrics.inFlightBytes.set(this.inFlightBytesNow);
    if (!this.pressured && this.inFlightBytesNow >= this.opts.config.maxInFlightBytes) {
      this.pressured = true;
      this.opts.onBackpressure(true);
    }
  }

  private releaseInFlight(bytes: number): void {
    this.inFlightBytesNow -= bytes;
    this.opts.metrics.inFlightBytes.set(this.inFlightBytesNow);
    if (this.pressured && this.inFlightBytesNow <= this.opts.config.maxInFlightBytes * 0.75) {
      this.pressured = false;
      this.opts.onBackpressure(false);
    }
  }

  private raiseFatal(err: SinkFatalError): void {
    if (this.fatalRaised) return;
    this.fatalRaised = true;
    this.stopping = true;
    this.abort.abort(err);
    this.opts.onFatal(err);
  }

  private notifyIdle(): void {
    if (this.activeHandlers === 0 && this.inFlight.size === 0) {
      for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  private waitIdle(): Promise<void> {
    if (this.activeHandlers === 0 && this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** stops taking messages: batch handlers return without taking more */
  stopTaking(): void {
    this.stopping = true;
  }

  /**
   * Stops taking messages and waits up to `timeoutMs` for every in-flight unit; then gives up what is left
   * (uncommitted). Resolves true when everything taken in was delivered.
   */
  async drain(timeoutMs: number): Promise<boolean> {
    this.stopping = true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const drained = await Promise.race([this.waitIdle().then(() => true as const), timedOut]);
    clearTimeout(timer);
    if (!drained) {
      this.abandon();
      // a sink that ignores the abort signal must not keep the process alive
      await Promise.race([this.waitIdle(), sleep(5_000)]);
    }
    return drained;
  }

  /** gives up every in-flight delivery now; their offsets stay uncommitted */
  abandon(): void {
    this.stopping = true;
    if (!this.abort.signal.aborted) this.abort.abort(new AbandonedError());
  }
}

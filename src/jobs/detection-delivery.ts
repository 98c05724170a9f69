/**
 * Durable delivery of the detections that scheduled window evaluation finds: one BullMQ job per detection
 * (job id = the deterministic detection id, so a detection found twice is queued once), delivered to every sink
 * with retries and exponential backoff; what still fails after the last attempt stays in the queue's failed set
 * with its reason (`failedDeliveries()`), never silently dropped.
 */
import { Queue, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Detection } from '../rules/types.js';
import type { Sink } from '../sinks/types.js';
import { SinkFatalError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { JobsConfig } from './config.js';

export const DETECTION_QUEUE = 'entrawatch-detections';

export interface DetectionDeliveryOptions {
  connection: ConnectionOptions;
  sinks: readonly Sink[];
  config: JobsConfig;
  logger?: Logger;
  /** process deliveries in this process (false: only enqueue) */
  process?: boolean;
}

export interface FailedDelivery {
  detectionId: string;
  rule: string;
  reason: string;
  attempts: number;
}

export class DetectionDelivery {
  readonly queue: Queue<Detection>;
  private worker: Worker<Detection> | undefined;
  delivered = 0;

  constructor(private readonly options: DetectionDeliveryOptions) {
    this.queue = new Queue<Detection>(DETECTION_QUEUE, { connection: options.connection, prefix: options.config.queuePrefix });
  }

  start(): void {
    if (this.options.process === false || this.worker) return;
    this.worker = new Worker<Detection>(DETECTION_QUEUE, (job) => this.deliver(job), {
      connection: this.options.connection,
      prefix: this.options.config.queuePrefix,
      concurrency: 4,
    });
    this.worker.on('failed', (job, err) => {
      this.options.logger?.warn({ detection: job?.id, attempt: job?.attemptsMade, err: err.message }, 'scheduled detection delivery failed');
    });
    this.worker.on('error', (err) => this.options.logger?.error({ err }, 'detection delivery worker error'));
  }

  /** Queues detections for delivery; a detection already queued (same id) is not queued again. */
  async enqueue(detections: readonly Detection[]): Promise<void> {
    if (detections.length === 0) return;
    const { attempts, backoffMs, keepFailed } = this.options.config.delivery;
    await this.queue.addBulk(
      detections.map((d) => ({
        name: 'deliver',
        data: d,
        opts: {
          jobId: d.id,
          attempts,
          backoff: { type: 'exponential', delay: backoffMs, jitter: 0.5 },
          removeOnComplete: { age: 24 * 3600, count: 100_000 },
          removeOnFail: { count: keepFailed },
        },
      })),
    );
  }

  private async deliver(job: Job<Detection>): Promise<void> {
    const item = { type: 'detection' as const, detection: job.data };
    for (const sink of this.options.sinks) {
      let result;
      try {
        result = await sink.deliver([item], AbortSignal.timeout(60_000));
      } catch (err) {
        if (err instanceof SinkFatalError) throw new UnrecoverableError(err.message);
        throw err;
      }
      if (result.rejected.length > 0) throw new UnrecoverableError(`${sink.name} rejected the detection: ${result.rejected[0]!.reason}`);
    }
    this.delivered++;
  }

  async failedDeliveries(limit = 100): Promise<FailedDelivery[]> {
    const jobs = await this.queue.getFailed(0, limit - 1);
    return jobs.map((j) => ({ detectionId: String(j.id), rule: j.data.rule.name ?? j.data.rule.id, reason: j.failedReason, attempts: j.attemptsMade }));
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }
}

/**
 * Scheduled, cluster-wide evaluation of time-closed windows (rate_change, baseline, first_seen): a BullMQ job
 * scheduler produces one `evaluate-windows` job per interval for the whole cluster, and whichever worker takes it
 * closes the due windows in the shared Redis state against the cluster's event-time watermark. However many workers
 * run, each interval is evaluated once. Detections found are handed to DetectionDelivery (durable, retried).
 */
import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Detection } from '../rules/types.js';
import type { Logger } from '../observability/logger.js';
import type { JobsConfig } from './config.js';
import type { ClusterWatermark } from './cluster-watermark.js';
import type { DetectionDelivery } from './detection-delivery.js';

export const WINDOW_QUEUE = 'entrawatch-windows';
export const WINDOW_SCHEDULER_ID = 'evaluate-windows';

export interface ScheduledEvaluator {
  evaluateScheduled(untilEventTime?: number): Promise<Detection[]>;
}

export interface WindowEvaluationOptions {
  connection: ConnectionOptions;
  engine: ScheduledEvaluator;
  watermark: ClusterWatermark;
  delivery: DetectionDelivery;
  config: JobsConfig;
  logger?: Logger;
  /** wall clock (tests) */
  now?: () => number;
}

export interface EvaluationRecord {
  /** the scheduled time of the run (one per interval) */
  scheduledFor: number;
  until: number | null;
  detections: number;
}

export class WindowEvaluation {
  readonly queue: Queue;
  private worker: Worker | undefined;
  /** runs this process performed (tests, metrics) */
  readonly runs: EvaluationRecord[] = [];

  constructor(private readonly options: WindowEvaluationOptions) {
    this.queue = new Queue(WINDOW_QUEUE, { connection: options.connection, prefix: options.config.queuePrefix });
  }

  async start(): Promise<void> {
    const { config } = this.options;
    // idempotent across workers: every worker upserts the same scheduler; Redis holds one
    await this.queue.upsertJobScheduler(
      WINDOW_SCHEDULER_ID,
      { every: config.evaluateEveryMs },
      { name: 'evaluate', opts: { removeOnComplete: { count: 1000 }, removeOnFail: { count: 1000 } } },
    );
    this.worker = new Worker(
      WINDOW_QUEUE,
      async (job) => {
        const scheduledFor = job.timestamp + (job.opts.delay ?? 0);
        return this.evaluate(scheduledFor);
      },
      { connection: this.options.connection, prefix: config.queuePrefix, concurrency: 1 },
    );
    this.worker.on('error', (err) => this.options.logger?.error({ err }, 'window evaluation worker error'));
  }

  /** One evaluation: close what is due against the watermark, queue what fires for delivery. */
  async evaluate(scheduledFor: number): Promise<EvaluationRecord> {
    const now = (this.options.now ?? Date.now)();
    const watermark = await this.options.watermark.read();
    const until = watermark === null ? null : Math.min(watermark, now);
    let detections: Detection[] = [];
    if (until !== null) {
      detections = await this.options.engine.evaluateScheduled(until);
      await this.options.delivery.enqueue(detections);
    }
    const record = { scheduledFor, until, detections: detections.length };
    this.runs.push(record);
    this.options.logger?.debug(record, 'scheduled windows evaluated');
    return record;
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }

  /** Removes the cluster's scheduler (tests, uninstall). */
  async removeScheduler(): Promise<void> {
    await this.queue.removeJobScheduler(WINDOW_SCHEDULER_ID);
  }
}

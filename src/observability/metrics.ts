/**
 * Prometheus metrics of the streaming worker (prom-client, one registry per worker so tests and several workers
 * in one process never collide): records in/out, detections, dead letters, sink latency and errors, HEC request
 * latency and errors by HEC code, consumer lag per partition, batch sizes, in-flight bytes, commits.
 * The HEC sink reports its requests through the `HecRequestObserver` hook (`metrics.hecObserver`).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the HEC sink reports per HTTP request (hook for src/sinks/hec). */
export interface HecRequestObserver {
  /**
   * One finished HEC request: `status` is the HTTP status (0 for a transport error: reset, timeout), `code` the
   * HEC `code` of the response body when there was one, `endpoint` e.g. "event" | "ack" | "health".
   */
  observeRequest(sample: { endpoint: string; durationSeconds: number; status: number; code?: number }): void;
}

export type DeadLetterKind = 'decode' | 'normalize' | 'sink_rejected';

export class WorkerMetrics {
  readonly registry: Registry;
  readonly messagesIn: Counter<'topic'>;
  readonly recordsIn: Counter<'topic'>;
  readonly recordsOut: Counter<'sink' | 'type'>;
  readonly detections: Counter<'rule' | 'level'>;
  readonly deadLetters: Counter<'reason'>;
  readonly sinkDeliverySeconds: Histogram<'sink'>;
  readonly sinkErrors: Counter<'sink' | 'kind'>;
  readonly hecRequestSeconds: Histogram<'endpoint' | 'status'>;
  readonly hecErrors: Counter<'endpoint' | 'status' | 'code'>;
  readonly consumerLag: Gauge<'topic' | 'partition'>;
  readonly committedOffset: Gauge<'topic' | 'partition'>;
  readonly commits: Counter<'result'>;
  readonly batchMessages: Histogram;
  readonly batchRecords: Histogram;
  readonly inFlightBytes: Gauge;
  readonly paused: Gauge;
  readonly hecObserver: HecRequestObserver;

  constructor(options: { registry?: Registry; defaultMetrics?: boolean } = {}) {
    const registers = [(this.registry = options.registry ?? new Registry())];
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'entrawatch_' });
    this.messagesIn = new Counter({
      name: 'entrawatch_messages_in_total',
      help: 'Kafka messages taken into the pipeline',
      labelNames: ['topic'],
      registers,
    });
    this.recordsIn = new Counter({
      name: 'entrawatch_records_in_total',
      help: 'records decoded and normalized',
      labelNames: ['topic'],
      registers,
    });
    this.recordsOut = new Counter({
      name: 'entrawatch_records_out_total',
      help: 'items delivered for good, per sink and type (event | detection)',
      labelNames: ['sink', 'type'],
      registers,
    });
    this.detections = new Counter({
      name: 'entrawatch_detections_total',
      help: 'detections emitted by the rule engine',
      labelNames: ['rule', 'level'],
      registers,
    });
    this.deadLetters = new Counter({
      name: 'entrawatch_dead_letters_total',
      help: 'messages or records written to the dead-letter topic, by reason (decode | normalize | sink_rejected)',
      labelNames: ['reason'],
      registers,
    });
    this.sinkDeliverySeconds = new Histogram({
      name: 'entrawatch_sink_delivery_seconds',
      help: 'time from handing a batch to a sink until it confirmed delivery',
      labelNames: ['sink'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
    this.sinkErrors = new Counter({
      name: 'entrawatch_sink_errors_total',
      help: 'failed sink deliveries (retried), and fatal ones',
      labelNames: ['sink', 'kind'],
      registers,
    });
    this.hecRequestSeconds = new Histogram({
      name: 'entrawatch_hec_request_seconds',
      help: 'HEC HTTP request latency',
      labelNames: ['endpoint', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.hecErrors = new Counter({
      name: 'entrawatch_hec_errors_total',
      help: 'HEC requests that did not succeed, by HTTP status (0 = transport error) and HEC code',
      labelNames: ['endpoint', 'status', 'code'],
      registers,
    });
    this.consumerLag = new Gauge({
      name: 'entrawatch_consumer_lag',
      help: 'messages between the committed offset and the high watermark, per partition',
      labelNames: ['topic', 'partition'],
      registers,
    });
    this.committedOffset = new Gauge({
      name: 'entrawatch_committed_offset',
      help: 'last committed offset (next offset to read), per partition',
      labelNames: ['topic', 'partition'],
      registers,
    });
    this.commits = new Counter({
      name: 'entrawatch_offset_commits_total',
      help: 'offset commit requests, by result (ok | error)',
      labelNames: ['result'],
      registers,
    });
    this.batchMessages = new Histogram({
      name: 'entrawatch_batch_messages',
      help: 'Kafka messages per fetched batch',
      buckets: [1, 5, 10, 50, 100, 500, 1000, 5000],
      registers,
    });
    this.batchRecords = new Histogram({
      name: 'entrawatch_batch_records',
      help: 'records per fetched batch',
      buckets: [1, 10, 50, 100, 500, 1000, 5000, 20000],
      registers,
    });
    this.inFlightBytes = new Gauge({
      name: 'entrawatch_in_flight_bytes',
      help: 'bytes of messages taken in and not yet delivered everywhere',
      registers,
    });
    this.paused = new Gauge({
      name: 'entrawatch_fetch_paused',
      help: '1 while fetching is paused by backpressure or shutdown',
      registers,
    });
    this.hecObserver = {
      observeRequest: ({ endpoint, durationSeconds, status, code }) => {
        this.hecRequestSeconds.observe({ endpoint, status: String(status) }, durationSeconds);
        if (status !== 200) {
          this.hecErrors.inc({ endpoint, status: String(status), code: code === undefined ? '' : String(code) });
        }
      },
    };
  }

  /** the text exposition of every metric */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}

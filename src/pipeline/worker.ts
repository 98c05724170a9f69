/**
 * Composition of the streaming worker: Kafka consumer -> StreamPipeline -> sinks, with the offset committer,
 * dead-letter producer, backpressure (pause/resume), rebalance handling, graceful drain and the metrics/health
 * HTTP endpoint. `runWorker` is the one function the CLI, in-process tests and child-process tests all use.
 *
 * Exit codes: 0 after `stop()` (SIGTERM/SIGINT), 3 after a SinkFatalError (bad token, bad index: nothing further
 * is committed), 1 when the Kafka client gave up or startup failed.
 */
import { SinkFatalError } from '../errors.js';
import { createLogger, redactSecrets, type Logger } from '../observability/logger.js';
import { startHealthServer, type HealthServer } from '../observability/health.js';
import { WorkerMetrics } from '../observability/metrics.js';
import type { Sink } from '../sinks/types.js';
import { createKafka } from '../sources/kafka/client.js';
import { KafkajsConsumerClient } from '../sources/kafka/kafkajs-consumer.js';
import { KafkajsProducerClient } from '../sources/kafka/kafkajs-producer.js';
import type { ConsumerClient, ProducerClient, TopicPartition } from '../sources/kafka/types.js';
import type { WorkerConfig } from './config.js';
import { DeadLetterWriter } from './dead-letters.js';
import { OffsetCommitter } from './offset-committer.js';
import { OffsetTracker } from './offset-tracker.js';
import type { RecordReader } from './record-reader.js';
import { StreamPipeline, type DetectionEngine } from './stream-pipeline.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_SINK_FATAL = 3;

export interface WorkerDeps {
  /** decode + normalize (createRecordReader over src/decode and src/normalize) */
  reader: RecordReader;
  /** the rule engine (RuleEngine from src/rules/engine.ts) */
  engine: DetectionEngine;
  /** every sink gets every event and detection */
  sinks: Sink[];
  logger?: Logger;
  metrics?: WorkerMetrics;
  /** Kafka clients; default: kafkajs built from config.kafka */
  kafka?: { consumer: ConsumerClient; producer: ProducerClient };
  /** called last when the worker ends (close the state store, ...) */
  onClose?: () => Promise<void>;
}

export interface WorkerExit {
  code: number;
  /** why it ended, fit to print (no secrets) */
  message: string;
  error?: Error;
}

export interface WorkerHandle {
  /** resolves once every sink started and the consumer joined its group; rejects if the worker ended first */
  readonly ready: Promise<void>;
  /** resolves when the worker has ended, with its exit code */
  readonly exited: Promise<WorkerExit>;
  readonly metrics: WorkerMetrics;
  /** base URL of /metrics, /healthz, /readyz once listening */
  healthUrl(): string | undefined;
  /** stop fetching, drain in-flight deliveries, commit, leave the group; resolves with exit code 0 */
  stop(reason?: string): Promise<WorkerExit>;
}

type State = 'starting' | 'running' | 'stopping' | 'ended';

export function runWorker(config: WorkerConfig, deps: WorkerDeps): WorkerHandle {
  const logger = deps.logger ?? createLogger({ name: 'entrawatch-worker' });
  const metrics = deps.metrics ?? new WorkerMetrics();
  const topics = config.kafka.topics;
  let consumer: ConsumerClient;
  let producer: ProducerClient;
  if (deps.kafka) {
    ({ consumer, producer } = deps.kafka);
  } else {
    const kafka = createKafka(config.kafka, logger);
    consumer = new KafkajsConsumerClient(kafka, config.kafka);
    producer = new KafkajsProducerClient(kafka);
  }

  let state: State = 'starting';
  let sinksStarted = false;
  let joined = false;
  let health: HealthServer | undefined;
  let consumerConnected = false;
  let producerConnected = false;
  let resolveReady!: () => void;
  let rejectReady!: (err: Error) => void;
  const ready = new Promise<void>((res, rej) => {
    resolveReady = res;
    rejectReady = rej;
  });
  ready.catch(() => undefined);
  let resolveExited!: (exit: WorkerExit) => void;
  const exited = new Promise<WorkerExit>((res) => {
    resolveExited = res;
  });
  let ending: Promise<WorkerExit> | undefined;

  const tracker = new OffsetTracker();
  const committer = new OffsetCommitter(consumer, tracker, metrics, logger, config.pipeline.commitIntervalMs);
  const pipeline = new StreamPipeline({
    reader: deps.reader,
    engine: deps.engine,
    sinks: deps.sinks,
    deadLetters: new DeadLetterWriter(producer, config.deadLetter.topic),
    tracker,
    metrics,
    logger,
    config: config.pipeline,
    onBackpressure: (paused) => {
      if (state !== 'running' && state !== 'starting') return;
      metrics.paused.set(paused ? 1 : 0);
      logger.debug({ inFlightBytes: pipeline.inFlightBytes, paused }, paused ? 'backpressure: pausing fetch' : 'resuming fetch');
      if (paused) consumer.pause(topics);
      else consumer.resume(topics);
    },
    onFatal: (err) => void fail(EXIT_SINK_FATAL, err),
  });

  async function closeAll(): Promise<void> {
    const steps: Array<[string, () => Promise<void>]> = [
      ['consumer', () => (consumerConnected ? consumer.disconnect() : Promise.resolve())],
      ['dead-letter producer', () => (producerConnected ? producer.disconnect() : Promise.resolve())],
      ...deps.sinks.map((s): [string, () => Promise<void>] => [`sink ${s.name}`, () => s.close()]),
      ['state', () => (deps.onClose ? deps.onClose() : Promise.resolve())],
      ['health server', () => (health ? health.close() : Promise.resolve())],
    ];
    for (const [what, step] of steps) {
      try {
        await step();
      } catch (err) {
        logger.warn({ err }, `closing ${what} failed`);
      }
    }
  }

  function end(exit: WorkerExit): WorkerExit {
    state = 'ended';
    rejectReady(new Error(`worker ended before it was ready: ${exit.message}`));
    resolveExited(exit);
    return exit;
  }

  /** stops at once: no further commit, in-flight work given up (uncommitted) */
  function fail(code: number, error: Error): Promise<WorkerExit> {
    if (ending) return ending;
    state = 'stopping';
    committer.halt();
    pipeline.abandon();
    const message = redactSecrets(error.message);
    if (error instanceof SinkFatalError || error.name === 'SinkFatalError') {
      logger.error({ sink: (error as SinkFatalError).sink, code: (error as SinkFatalError).code }, `stopping: ${message}`);
    } else {
      logger.error({ err: error }, `stopping: ${message}`);
    }
    ending = closeAll().then(() => end({ code, message, error }));
    return ending;
  }

  function stop(reason = 'stop requested'): Promise<WorkerExit> {
    if (ending) return ending;
    if (state === 'starting' && !consumerConnected) {
      // nothing taken in yet
      state = 'stopping';
      committer.halt();
      ending = closeAll().then(() => end({ code: EXIT_OK, message: reason }));
      return ending;
    }
    state = 'stopping';
    logger.info({ reason, inFlightUnits: pipeline.inFlightUnits }, 'stopping: draining in-flight deliveries');
    ending = (async () => {
      pipeline.stopTaking();
      try {
        consumer.pause(topics);
      } catch {
        // not running yet
      }
      const drained = await pipeline.drain(config.pipeline.drainTimeoutMs);
      if (!drained) logger.warn({ drainTimeoutMs: config.pipeline.drainTimeoutMs }, 'drain timed out: undelivered work stays uncommitted');
      await committer.stop();
      await closeAll();
      logger.info('stopped');
      return end({ code: EXIT_OK, message: reason });
    })();
    return ending;
  }

  const readiness = {
    notReadyReason(): string | undefined {
      if (state === 'stopping' || state === 'ended') return 'stopping';
      if (!sinksStarted) return 'sinks starting';
      if (!joined) return 'consumer not joined';
      return undefined;
    },
  };

  async function start(): Promise<void> {
    if (config.metrics.enabled) {
      health = await startHealthServer({
        port: config.metrics.port,
        host: config.metrics.host,
        registry: metrics.registry,
        readiness,
      });
      logger.info({ url: health.url }, 'metrics and health endpoint listening');
    }
    await Promise.all(deps.sinks.map((s) => s.start()));
    sinksStarted = true;
    if (state !== 'starting') return;
    await producer.connect();
    producerConnected = true;
    await consumer.connect();
    consumerConnected = true;
    await consumer.subscribe(topics, config.kafka.fromBeginning);
    if (state !== 'starting') return;
    await consumer.run(pipeline.handleBatch, {
      onAssignment: (assignment: TopicPartition[]) => {
        // new epoch: work of revoked (or re-fetched) partitions never commits from here on
        tracker.reset();
        metrics.consumerLag.reset();
        joined = true;
        logger.info({ assignment: assignment.map((tp) => `${tp.topic}[${tp.partition}]`) }, 'consumer group joined');
        resolveReady();
      },
      onRebalancing: () => {
        joined = false;
        logger.info('consumer group rebalancing');
      },
      onCrash: (error, restart) => {
        if (restart) logger.warn({ err: error }, 'Kafka consumer crashed; kafkajs restarts it');
        else void fail(EXIT_FAILURE, error);
      },
    });
    committer.start();
    state = 'running';
  }

  start().catch((err: unknown) => {
    const error = err instanceof Error ? err : new Error(String(err));
    void fail(error instanceof SinkFatalError ? EXIT_SINK_FATAL : EXIT_FAILURE, error);
  });

  return {
    ready,
    exited,
    metrics,
    healthUrl: () => health?.url,
    stop,
  };
}

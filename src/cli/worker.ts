/**
 * `entrawatch worker --config FILE`: the streaming worker. Reads the YAML config (env overrides ENTRAWATCH_*;
 * secrets ENTRAWATCH_HEC_TOKEN, ENTRAWATCH_REDIS_URL, ENTRAWATCH_KAFKA_SASL_PASSWORD), builds decode + normalize,
 * the rule engine on the configured state store, the HEC sink, and runs `runWorker` until SIGTERM/SIGINT
 * (drain, commit, exit 0) or a fatal sink error (exit 3 with its message).
 */
import type { Command } from 'commander';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { applyEnvOverrides, configErrorFromZod, readYamlFile, resolveSecretFiles, safeParseWithEnv } from '../config/load.js';
import { decodeMessage, type DecodedRecord } from '../decode/index.js';
import { normalizeRecord } from '../normalize/index.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { WorkerMetrics } from '../observability/metrics.js';
import { workerConfigSchema } from '../pipeline/config.js';
import { createRecordReader } from '../pipeline/record-reader.js';
import { EXIT_OK, EXIT_SINK_FATAL, runWorker, type WorkerDeps, type WorkerHandle } from '../pipeline/worker.js';
import { Redis } from 'ioredis';
import type { RuleEngine } from '../rules/engine.js';
import { createCounterStore } from '../state/config.js';
import { kafkaSourceConfigSchema } from '../sources/kafka/config.js';
import { createKafka } from '../sources/kafka/client.js';
import { eventHubsInputConfigSchema } from '../sources/eventhubs/config.js';
import { eventHubsKafkaConfig } from '../sources/eventhubs/kafka-endpoint.js';
import { placeholdersSchema, rulesConfigSchema } from '../config/rules-config.js';
import { sinksConfigSchema, createSinks } from '../sinks/config.js';
import { jobsConfigSchema } from '../jobs/config.js';
import { ClusterWatermark } from '../jobs/cluster-watermark.js';
import { DetectionDelivery } from '../jobs/detection-delivery.js';
import { WindowEvaluation } from '../jobs/window-evaluation.js';
import { createRuleEngine } from '../runtime/create-engine.js';
import { parseDuration } from '../rules/correlation/duration.js';
import { packageVersion } from '../package-root.js';

const workerCommandInputSchema = workerConfigSchema.extend({
  kafka: kafkaSourceConfigSchema.optional(),
  eventHubs: eventHubsInputConfigSchema.optional(),
  placeholders: placeholdersSchema,
  rules: rulesConfigSchema.prefault({}),
  sinks: sinksConfigSchema,
  jobs: jobsConfigSchema.prefault({}),
  log: z
    .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') })
    .prefault({})
    .describe('logging'),
});

/**
 * The worker's config file: the input (`kafka`, or `eventHubs` for Event Hubs' Kafka endpoint), `placeholders` and
 * `rules` (as scan reads them), `sinks` (hec, kafka, syslog, file: several at once), `state`, `jobs`, `pipeline`,
 * `deadLetter`, `metrics`, `log`. With `eventHubs`, the kafka settings Microsoft requires are derived from the
 * connection string (SASL_SSL PLAIN, metadata age < 240 s, timeouts, commit pacing).
 */
export const workerCommandConfigSchema = workerCommandInputSchema
  .superRefine((c, ctx) => {
    if (!c.kafka && !c.eventHubs) {
      ctx.addIssue({ code: 'custom', path: ['kafka'], message: 'set kafka (brokers, topics) or eventHubs (hubs and a connection string) as the input' });
    }
    if (c.kafka && c.eventHubs) {
      ctx.addIssue({ code: 'custom', path: ['eventHubs'], message: 'set either kafka or eventHubs as the input, not both' });
    }
  })
  .transform((c) => {
    if (c.kafka) return { ...c, kafka: c.kafka };
    const eh = eventHubsKafkaConfig(c.eventHubs!);
    const kafka = kafkaSourceConfigSchema.parse({
      brokers: eh.kafka.brokers,
      clientId: eh.kafka.clientId,
      groupId: eh.consumer.groupId,
      topics: eh.topics,
      fromBeginning: eh.fromBeginning,
      ssl: true,
      sasl: { mechanism: 'plain', username: '$ConnectionString', password: eh.kafka.sasl.password },
      requestTimeoutMs: eh.kafka.requestTimeout,
      sessionTimeoutMs: eh.consumer.sessionTimeout,
      metadataMaxAgeMs: eh.consumer.metadataMaxAge,
    });
    const pipeline = { ...c.pipeline, commitIntervalMs: Math.max(c.pipeline.commitIntervalMs, eh.minCommitIntervalMs) };
    return { ...c, kafka, pipeline };
  });

export type WorkerCommandConfig = z.output<typeof workerCommandConfigSchema>;

/** Short env names for the secrets of a worker, on top of the generic ENTRAWATCH_A__B_C overrides. */
function applySecretEnv(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): void {
  const section = (key: string, parent: Record<string, unknown> = raw): Record<string, unknown> => {
    const v = parent[key];
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
    return (parent[key] = {}) as Record<string, unknown>;
  };
  const hecToken = env.ENTRAWATCH_HEC_TOKEN;
  if (hecToken) {
    const hec = section('hec', section('sinks'));
    hec.token = hecToken;
    delete hec.tokenFile;
  }
  if (env.ENTRAWATCH_REDIS_URL) {
    const state = section('state');
    state.backend = 'redis';
    section('redis', state).url = env.ENTRAWATCH_REDIS_URL;
  }
  if (env.ENTRAWATCH_KAFKA_BROKERS) section('kafka').brokers = env.ENTRAWATCH_KAFKA_BROKERS.split(',').map((b) => b.trim());
  if (env.ENTRAWATCH_KAFKA_SASL_PASSWORD) section('sasl', section('kafka')).password = env.ENTRAWATCH_KAFKA_SASL_PASSWORD;
  if (env.ENTRAWATCH_LOG_LEVEL) section('log').level = env.ENTRAWATCH_LOG_LEVEL;
}

/** Reads and validates a worker config file (YAML) with env overrides; throws ConfigError naming the bad key. */
export function loadWorkerConfig(path: string, env: NodeJS.ProcessEnv = process.env): WorkerCommandConfig {
  const raw = readYamlFile(path);
  applySecretEnv(raw, env);
  const envPaths: string[][] = [];
  const withEnv = applyEnvOverrides(raw, env, envPaths);
  const parsed = safeParseWithEnv(workerCommandConfigSchema, resolveSecretFiles(withEnv) as Record<string, unknown>, envPaths);
  if (!parsed.success) throw configErrorFromZod(parsed.error, path);
  return parsed.data;
}

/**
 * Builds the worker's parts from its config: decode + normalize, the rule engine (the same factory as scan) on its
 * state store, the sinks, and with Redis state the cluster-wide scheduled window evaluation (BullMQ) fed by the
 * event-time watermark of every worker.
 */
export async function buildWorkerDeps(
  config: WorkerCommandConfig,
  logger: Logger,
  metrics: WorkerMetrics,
  options: { baseDir?: string } = {},
): Promise<WorkerDeps> {
  const store = await createCounterStore(config.state);
  const closers: Array<() => Promise<void>> = [() => store.close()];
  try {
    const engine = await createRuleEngine({ rules: config.rules, placeholders: config.placeholders, store, baseDir: options.baseDir });
    const sinks = createSinks(config.sinks, {
      logger: logger.child({ component: 'sinks' }),
      productVersion: packageVersion(),
      hecObserver: metrics.hecObserver,
      kafkaFor: (brokers) => createKafka({ ...config.kafka, brokers: brokers ?? config.kafka.brokers }, logger),
    });
    logger.info(
      { rules: engine.rulePlans.length, correlations: engine.correlations.length, state: config.state.backend, sinks: sinks.map((s) => s.name) },
      'rules loaded',
    );
    let detectionEngine: WorkerDeps['engine'] = engine;
    if (config.jobs.enabled && config.state.backend === 'redis') {
      const scheduled = await startScheduledWindows(config, engine, sinks, logger);
      closers.unshift(scheduled.close);
      detectionEngine = scheduled.engine;
    } else if (config.jobs.enabled) {
      closers.unshift(startLocalScheduledWindows(config, engine, sinks, logger));
    }
    return {
      reader: createRecordReader<{ ok: true } & DecodedRecord>({ decodeMessage, normalizeRecord }),
      engine: detectionEngine,
      sinks,
      logger,
      metrics,
      onClose: async () => {
        for (const close of closers) await close();
      },
    };
  } catch (err) {
    for (const close of closers) await close().catch(() => undefined);
    throw err;
  }
}

/**
 * With in-memory state there is one worker and no cluster: time-closed windows (rate_change, baseline, first_seen)
 * are evaluated by a local timer against this worker's own event-time watermark, and what fires goes straight to the
 * sinks (which retry transient failures themselves). Returns the function that stops the timer.
 */
function startLocalScheduledWindows(
  config: WorkerCommandConfig,
  engine: RuleEngine,
  sinks: WorkerDeps['sinks'],
  logger: Logger,
): () => Promise<void> {
  const latenessMs = parseDuration(config.rules.correlation.allowedLateness) ?? 0;
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(async () => {
      const watermark = engine.watermark();
      if (watermark === null) return;
      const detections = await engine.evaluateScheduled(watermark + latenessMs);
      if (detections.length === 0) return;
      const items = detections.map((detection) => ({ type: 'detection' as const, detection }));
      await Promise.all(sinks.map((s) => s.deliver(items)));
    }).catch((err: unknown) => logger.error({ err }, 'scheduled window evaluation failed'));
  }, config.jobs.evaluateEveryMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

/**
 * Starts the BullMQ window evaluation and detection delivery of this worker (every worker runs them; BullMQ gives
 * each scheduled run to one of them) and wraps the engine so each processed batch raises the cluster watermark.
 */
async function startScheduledWindows(
  config: WorkerCommandConfig,
  engine: RuleEngine,
  sinks: WorkerDeps['sinks'],
  logger: Logger,
): Promise<{ engine: WorkerDeps['engine']; close: () => Promise<void> }> {
  const redis = new Redis(config.state.redis.url, { maxRetriesPerRequest: null, lazyConnect: false });
  const connection = redis.duplicate();
  const watermark = new ClusterWatermark(redis, config.state.redis.keyPrefix);
  // two clusters sharing one Redis must not share queues: the queues live under the state's key prefix by default
  const jobs = { ...config.jobs, queuePrefix: config.jobs.queuePrefix ?? `${config.state.redis.keyPrefix}bull` };
  const delivery = new DetectionDelivery({ connection, sinks, config: jobs, logger: logger.child({ component: 'jobs' }) });
  const evaluation = new WindowEvaluation({ connection, engine, watermark, delivery, config: jobs, logger: logger.child({ component: 'jobs' }) });
  delivery.start();
  await evaluation.start();
  const wrapped: WorkerDeps['engine'] = {
    processBatch: async (events) => {
      const detections = await engine.processBatch(events);
      let max = -Infinity;
      for (const e of events) if (e.time > max) max = e.time;
      if (Number.isFinite(max)) await watermark.observe(max);
      return detections;
    },
  };
  return {
    engine: wrapped,
    close: async () => {
      await watermark.flush().catch(() => undefined);
      await evaluation.close();
      await delivery.close();
      connection.disconnect();
      await redis.quit();
    },
  };
}

/** Starts a worker from a loaded config (used by the command and by tests that run it in-process). */
export async function startWorker(config: WorkerCommandConfig, logger?: Logger, options: { baseDir?: string } = {}): Promise<WorkerHandle> {
  const log = logger ?? createLogger({ name: 'entrawatch-worker', level: config.log.level });
  const metrics = new WorkerMetrics();
  const deps = await buildWorkerDeps(config, log, metrics, options);
  return runWorker(config, deps);
}

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('consume Entra logs from Kafka / Event Hubs, detect, forward to Splunk HEC; commits only what HEC acknowledged')
    .requiredOption('-c, --config <file>', 'worker config (YAML): kafka or eventHubs, placeholders, rules, sinks, state, jobs, pipeline, deadLetter, metrics')
    .action(async (opts: { config: string }) => {
      const config = loadWorkerConfig(opts.config);
      const handle = await startWorker(config, undefined, { baseDir: dirname(resolve(opts.config)) });
      let signals = 0;
      const onSignal = (signal: NodeJS.Signals): void => {
        signals++;
        if (signals > 1) {
          process.stderr.write(`entrawatch: second ${signal}: exiting without waiting (uncommitted work is read again)\n`);
          process.exit(130);
        }
        void handle.stop(`received ${signal}`);
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
      const exit = await handle.exited;
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      if (exit.code === EXIT_OK) return;
      if (exit.code === EXIT_SINK_FATAL && exit.error) throw exit.error;
      throw exit.error ?? new Error(exit.message);
    });
}

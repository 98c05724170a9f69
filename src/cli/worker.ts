/**
 * `entrawatch worker --config FILE`: the streaming worker. Reads the YAML config (env overrides ENTRAWATCH_*;
 * secrets ENTRAWATCH_HEC_TOKEN, ENTRAWATCH_REDIS_URL, ENTRAWATCH_KAFKA_SASL_PASSWORD), builds decode + normalize,
 * the rule engine on the configured state store, the HEC sink, and runs `runWorker` until SIGTERM/SIGINT
 * (drain, commit, exit 0) or a fatal sink error (exit 3 with its message).
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { applyEnvOverrides, configErrorFromZod, readYamlFile, resolveSecretFiles } from '../config/load.js';
import { decodeMessage, type DecodedRecord } from '../decode/index.js';
import { normalizeRecord } from '../normalize/index.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { WorkerMetrics } from '../observability/metrics.js';
import { workerConfigSchema } from '../pipeline/config.js';
import { createRecordReader } from '../pipeline/record-reader.js';
import { EXIT_OK, EXIT_SINK_FATAL, runWorker, type WorkerDeps, type WorkerHandle } from '../pipeline/worker.js';
import { RuleEngine } from '../rules/engine.js';
import { loadRuleFiles } from '../rules/load.js';
import { hecSinkConfigSchema } from '../sinks/hec/config.js';
import { HecSink } from '../sinks/hec/sink.js';
import { createCounterStore } from '../state/config.js';

export const workerCommandConfigSchema = workerConfigSchema.extend({
  sinks: z
    .object({ hec: hecSinkConfigSchema })
    .describe('where events and detections go (the worker needs sinks.hec)'),
  rules: z
    .object({
      paths: z.array(z.string().min(1)).min(1).default(['rules']).describe('rule files or directories'),
      placeholders: z
        .record(z.string(), z.array(z.string()))
        .default({})
        .describe('values of Sigma %placeholders% (approved lists)'),
    })
    .prefault({})
    .describe('Sigma rules and correlations'),
  log: z
    .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') })
    .prefault({})
    .describe('logging'),
});

export type WorkerCommandConfig = z.infer<typeof workerCommandConfigSchema>;

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
}

/** Reads and validates a worker config file (YAML) with env overrides; throws ConfigError naming the bad key. */
export function loadWorkerConfig(path: string, env: NodeJS.ProcessEnv = process.env): WorkerCommandConfig {
  const raw = readYamlFile(path);
  applySecretEnv(raw, env);
  const withEnv = applyEnvOverrides(raw, env);
  const parsed = workerCommandConfigSchema.safeParse(resolveSecretFiles(withEnv));
  if (!parsed.success) throw configErrorFromZod(parsed.error, path);
  return parsed.data;
}

/** Builds the worker's parts from its config: decode + normalize, rule engine on its state store, HEC sink. */
export async function buildWorkerDeps(
  config: WorkerCommandConfig,
  logger: Logger,
  metrics: WorkerMetrics,
): Promise<WorkerDeps> {
  const loaded = await loadRuleFiles(config.rules.paths, { placeholders: config.rules.placeholders });
  const store = await createCounterStore(config.state);
  const engine = await RuleEngine.create({ rules: loaded.rules, correlations: loaded.correlations, store });
  const sink = new HecSink(config.sinks.hec, { logger: logger.child({ component: 'hec' }) });
  logger.info(
    { rules: loaded.rules.length, correlations: loaded.correlations.length, state: config.state.backend },
    'rules loaded',
  );
  return {
    reader: createRecordReader<{ ok: true } & DecodedRecord>({ decodeMessage, normalizeRecord }),
    engine,
    sinks: [sink],
    logger,
    metrics,
    onClose: () => store.close(),
  };
}

/** Starts a worker from a loaded config (used by the command and by tests that run it in-process). */
export async function startWorker(config: WorkerCommandConfig, logger?: Logger): Promise<WorkerHandle> {
  const log = logger ?? createLogger({ name: 'entrawatch-worker', level: config.log.level });
  const metrics = new WorkerMetrics();
  const deps = await buildWorkerDeps(config, log, metrics);
  return runWorker(config, deps);
}

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('consume Entra logs from Kafka / Event Hubs, detect, forward to Splunk HEC; commits only what HEC acknowledged')
    .requiredOption('-c, --config <file>', 'worker config (YAML): kafka, sinks.hec, rules, state, pipeline, deadLetter, metrics')
    .action(async (opts: { config: string }) => {
      const config = loadWorkerConfig(opts.config);
      const handle = await startWorker(config);
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

/**
 * The streaming worker's config: `kafka` (source), `pipeline` (backpressure, commits, drain), `deadLetter`,
 * `state` (Redis or in-memory counters, the schema of src/state/config.ts) and `metrics` (HTTP port). Sinks and rules have their own sections,
 * composed by src/cli/worker.ts and the root schema in src/config/.
 */
import { z } from 'zod';
import { kafkaSourceConfigSchema } from '../sources/kafka/config.js';
import { counterStoreConfigSchema } from '../state/config.js';

export const pipelineConfigSchema = z
  .object({
    maxInFlightBytes: z
      .number({ error: 'pipeline.maxInFlightBytes must be a number of bytes, e.g. 67108864' })
      .int()
      .positive()
      .default(8 * 1024 * 1024)
      .describe(
        'bytes of Kafka messages taken in and not yet delivered to every sink; above it fetching pauses (decoded records take several times their bytes in memory: 8 MB keeps a worker near 300 MB RSS)',
      ),
    commitIntervalMs: z
      .number()
      .int()
      .min(250, { error: 'pipeline.commitIntervalMs must be >= 250 (Event Hubs allows at most 4 commits/s per partition)' })
      .default(1_000)
      .describe('offsets are committed at most this often (one commit request for every partition)'),
    maxBatchItems: z
      .number()
      .int()
      .positive()
      .default(5_000)
      .describe('largest number of records a fetched batch is split into for rule evaluation and delivery'),
    drainTimeoutMs: z
      .number()
      .int()
      .positive()
      .default(30_000)
      .describe('on SIGTERM/SIGINT: how long to wait for in-flight deliveries before giving them up (uncommitted)'),
    retryBackoffMs: z
      .number()
      .int()
      .positive()
      .default(500)
      .describe('first wait before retrying a failed rule evaluation, sink delivery or dead-letter write'),
    retryBackoffMaxMs: z.number().int().positive().default(30_000).describe('longest wait between retries'),
  })
  .describe('pipeline behaviour');

export const deadLetterConfigSchema = z
  .object({
    topic: z
      .string()
      .min(1, { error: 'deadLetter.topic must not be empty; use "{topic}.dlq" for one dead-letter topic per source topic' })
      .default('{topic}.dlq')
      .describe('dead-letter topic; "{topic}" is replaced by the source topic'),
  })
  .describe('where undecodable and rejected records go');

export const metricsConfigSchema = z
  .object({
    port: z
      .number()
      .int()
      .min(0, { error: 'metrics.port must be 0..65535 (0 picks a free port)' })
      .max(65535, { error: 'metrics.port must be 0..65535' })
      .default(9464)
      .describe('HTTP port of /metrics, /healthz, /readyz (0 = any free port)'),
    host: z.string().default('0.0.0.0').describe('address to listen on'),
    enabled: z.boolean().default(true).describe('serve the HTTP endpoint'),
  })
  .describe('metrics and health endpoint');

export const workerConfigSchema = z
  .object({
    kafka: kafkaSourceConfigSchema,
    pipeline: pipelineConfigSchema.prefault({}),
    deadLetter: deadLetterConfigSchema.prefault({}),
    state: counterStoreConfigSchema.prefault({}),
    metrics: metricsConfigSchema.prefault({}),
  })
  .describe('entrawatch worker: Kafka -> decode -> normalize -> rules -> sinks');

export type PipelineConfig = z.infer<typeof pipelineConfigSchema>;
export type DeadLetterConfig = z.infer<typeof deadLetterConfigSchema>;
export type MetricsConfig = z.infer<typeof metricsConfigSchema>;
export type WorkerConfig = z.infer<typeof workerConfigSchema>;
export type WorkerConfigInput = z.input<typeof workerConfigSchema>;

/** the dead-letter topic of a source topic */
export function deadLetterTopicFor(template: string, sourceTopic: string): string {
  return template.replaceAll('{topic}', sourceTopic);
}

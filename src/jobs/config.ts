/**
 * Config section `jobs` of entrawatch.yaml: the cluster-wide scheduled work run by BullMQ on Redis.
 */
import { z } from 'zod';

export const jobsConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe('run the scheduled window evaluation (rate_change, baseline, first_seen)'),
    evaluateEveryMs: z.coerce.number().int().min(1000).default(60_000).describe('how often the cluster closes due windows (once per interval for the whole cluster)'),
    queuePrefix: z.string().min(1).optional().describe('BullMQ key prefix (default: state.redis.keyPrefix + "bull", so clusters sharing a Redis keep their queues apart)'),
    delivery: z
      .object({
        attempts: z.coerce.number().int().min(1).default(20).describe('delivery attempts of a scheduled detection before it is recorded as failed'),
        backoffMs: z.coerce.number().int().min(10).default(5000).describe('first retry delay (exponential)'),
        keepFailed: z.coerce.number().int().min(1).default(10_000).describe('failed delivery jobs kept for inspection'),
      })
      .prefault({}),
  })
  .describe('BullMQ scheduled jobs');

export type JobsConfig = z.output<typeof jobsConfigSchema>;

/**
 * Config of the Kafka output sink: normalized events and/or detections as JSON to topics, keyed by user,
 * for QRadar's Kafka protocol, Sumo Logic, or any consumer.
 */
import { z } from 'zod';

export const kafkaSinkConfigSchema = z
  .object({
    brokers: z.array(z.string().min(1)).min(1).optional().describe('brokers of the output cluster (default: the input cluster)'),
    detectionsTopic: z.string().min(1).optional().describe('topic for detections (unset: detections are not sent)'),
    eventsTopic: z.string().min(1).optional().describe('topic for events (unset: events are not sent)'),
    eventEncoding: z.enum(['normalized', 'raw']).default('normalized').describe('events as normalized JSON (cim + fields) or the raw record'),
    acks: z.literal(-1).default(-1).describe('always -1 (all in-sync replicas): a record is delivered only when replicated'),
    compression: z.enum(['none', 'gzip']).default('gzip'),
    timeoutMs: z.coerce.number().int().positive().default(30_000),
  })
  .refine((c) => c.detectionsTopic !== undefined || c.eventsTopic !== undefined, {
    message: 'set sinks.kafka.detectionsTopic and/or sinks.kafka.eventsTopic, or remove the kafka sink',
  })
  .describe('Kafka output sink');

export type KafkaSinkConfig = z.output<typeof kafkaSinkConfigSchema>;

/**
 * Config section `sinks` of entrawatch.yaml (several at once; each keeps the same delivery contract) and the
 * factory that builds them.
 */
import { z } from 'zod';
import type { Kafka } from 'kafkajs';
import { hecSinkConfigSchema } from './hec/config.js';
import { HecSink } from './hec/sink.js';
import { kafkaSinkConfigSchema } from './kafka/config.js';
import { KafkaSink } from './kafka/kafka-sink.js';
import { syslogSinkConfigSchema } from './syslog/config.js';
import { SyslogSink } from './syslog/syslog-sink.js';
import { FileSink } from './file/file-sink.js';
import type { Sink } from './types.js';
import type { Logger } from '../observability/logger.js';
import type { HecRequestObserver } from '../observability/metrics.js';
import { ConfigError } from '../errors.js';

export const fileSinkConfigSchema = z
  .object({
    path: z.string().min(1).describe('NDJSON file, or - for stdout'),
    events: z.boolean().default(false).describe('write every event'),
    detections: z.boolean().default(true).describe('write detections'),
    eventEncoding: z.enum(['normalized', 'raw']).default('normalized'),
  })
  .describe('NDJSON file / stdout sink');

export const sinksConfigSchema = z
  .object({
    hec: hecSinkConfigSchema.optional(),
    kafka: kafkaSinkConfigSchema.optional(),
    syslog: z.union([syslogSinkConfigSchema, z.array(syslogSinkConfigSchema)]).optional(),
    file: fileSinkConfigSchema.optional(),
  })
  .default({})
  .describe('where events and detections go: hec, kafka, syslog (one or a list), file');

export type SinksConfig = z.output<typeof sinksConfigSchema>;

export interface SinkFactoryDeps {
  logger?: Logger;
  productVersion: string;
  /** the Kafka client for the kafka sink (built from the input cluster when the sink names no brokers) */
  kafkaFor?: (brokers: string[] | undefined) => Kafka;
  /** told about every HEC request (the worker passes metrics.hecObserver) */
  hecObserver?: HecRequestObserver;
}

export function createSinks(config: SinksConfig, deps: SinkFactoryDeps): Sink[] {
  const sinks: Sink[] = [];
  if (config.hec) sinks.push(new HecSink(config.hec, { logger: deps.logger, observer: deps.hecObserver }));
  if (config.kafka) {
    if (!deps.kafkaFor) throw new ConfigError('sinks.kafka', 'this command cannot write to Kafka; remove sinks.kafka');
    sinks.push(new KafkaSink(deps.kafkaFor(config.kafka.brokers), config.kafka));
  }
  const syslogs = config.syslog === undefined ? [] : Array.isArray(config.syslog) ? config.syslog : [config.syslog];
  syslogs.forEach((s, i) => sinks.push(new SyslogSink({ config: s, productVersion: deps.productVersion, logger: deps.logger, name: syslogs.length > 1 ? `syslog[${i}]` : 'syslog' })));
  if (config.file) {
    sinks.push(new FileSink({ path: config.file.path, include: { events: config.file.events, detections: config.file.detections }, eventEncoding: config.file.eventEncoding }));
  }
  if (sinks.length === 0) {
    throw new ConfigError('sinks', 'no sink is configured: add sinks.hec (Splunk), sinks.kafka, sinks.syslog (QRadar/ArcSight) or sinks.file');
  }
  return sinks;
}

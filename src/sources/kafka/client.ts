/**
 * Builds the kafkajs client from the `kafka` config section: brokers, TLS, SASL, timeouts, and kafkajs logs routed
 * to pino. The one place a kafkajs `Kafka` is constructed, so other connection modes (Event Hubs connection
 * strings) extend this function only.
 */
import { Kafka, logLevel, type KafkaConfig, type LogEntry, type SASLOptions } from 'kafkajs';
import type { Logger } from '../../observability/logger.js';
import type { KafkaSourceConfig } from './config.js';

/** The part of the kafka config that describes the connection (the consumer-group keys are not needed here). */
export type KafkaConnectionConfig = Pick<
  KafkaSourceConfig,
  'brokers' | 'clientId' | 'ssl' | 'sasl' | 'connectionTimeoutMs' | 'requestTimeoutMs'
>;

function saslOptions(sasl: NonNullable<KafkaSourceConfig['sasl']>): SASLOptions {
  return { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password } as SASLOptions;
}

function pinoLogCreator(logger: Logger | undefined): KafkaConfig['logCreator'] {
  return () => (entry: LogEntry) => {
    if (!logger) return;
    const { message, timestamp: _timestamp, ...extra } = entry.log;
    const fields = { kafka: entry.namespace, ...extra };
    if (entry.level === logLevel.ERROR) logger.error(fields, message);
    else if (entry.level === logLevel.WARN) logger.warn(fields, message);
    else if (entry.level === logLevel.INFO) logger.info(fields, message);
    else logger.debug(fields, message);
  };
}

/** The kafkajs client for this config. kafkajs logs go to `logger` at WARN and above. */
export function createKafka(config: KafkaConnectionConfig, logger?: Logger): Kafka {
  const kafkaConfig: KafkaConfig = {
    brokers: config.brokers,
    clientId: config.clientId,
    ssl: config.ssl,
    connectionTimeout: config.connectionTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    logLevel: logLevel.WARN,
    logCreator: pinoLogCreator(logger?.child({ component: 'kafkajs' })),
  };
  if (config.sasl) kafkaConfig.sasl = saslOptions(config.sasl);
  return new Kafka(kafkaConfig);
}

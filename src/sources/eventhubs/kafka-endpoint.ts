/**
 * Direct mode: derives the kafkajs settings Microsoft asks for when a Kafka client reads Azure Event Hubs
 * through its Kafka endpoint (Standard tier or higher): bootstrap `<namespace>.servicebus.windows.net:9093`,
 * SASL_SSL with mechanism PLAIN, username `$ConnectionString`, password the connection string; metadata max age
 * 180 s (< 240 s, Azure closes idle connections at 240 s), request timeout 60 s, session timeout 30 s, gzip only,
 * and at most 4 offset commits per second per partition (`minCommitIntervalMs`, which the pipeline honours).
 *
 * Pure apart from reading the secret file: the Kafka source (src/sources/kafka) passes `kafka`, `consumer` and
 * `topics` to kafkajs. The result prints safely: JSON.stringify, String() and util.inspect show
 * `describeSafely()`, which never contains the key.
 */
import { inspect } from 'node:util';
import { CompressionTypes, type ConsumerConfig, type KafkaConfig, type ProducerConfig } from 'kafkajs';
import { ConfigError } from '../../errors.js';
import { eventHubsInputConfigSchema, type EventHubsInputConfigInput } from './config.js';
import {
  connectionStringInfo,
  resolveEventHubsConnectionString,
  type EventHubsConnectionStringInfo,
  type ResolveOptions,
} from './connection-string.js';

/** Port of the Event Hubs Kafka endpoint (SASL_SSL). */
export const EVENTHUBS_KAFKA_PORT = 9093;
/** Azure closes idle TCP connections after 240 s: refresh metadata (and so use connections) before that. */
export const EVENTHUBS_METADATA_MAX_AGE_MS = 180_000;
/** Microsoft: request.timeout.ms at least 60000. */
export const EVENTHUBS_REQUEST_TIMEOUT_MS = 60_000;
/** Microsoft: session.timeout.ms at least 30000. */
export const EVENTHUBS_SESSION_TIMEOUT_MS = 30_000;
/** Event Hubs throttles offset commits to 4 per second per partition: commit a partition at most every 250 ms. */
export const EVENTHUBS_MIN_COMMIT_INTERVAL_MS = 250;
/** Microsoft: max.request.size below 1046528 bytes (the service closes the connection above). */
export const EVENTHUBS_MAX_REQUEST_SIZE_BYTES = 1_000_000;

const REDACTED = '[REDACTED]';

type PlainSasl = { mechanism: 'plain'; username: string; password: string };

/** kafkajs settings for the Event Hubs Kafka endpoint. `kafka.sasl.password` is the secret. */
export interface EventHubsKafkaSettings {
  /** `new Kafka(settings.kafka)` */
  kafka: KafkaConfig & { brokers: string[]; ssl: true; sasl: PlainSasl };
  /** `kafka.consumer(settings.consumer)` */
  consumer: ConsumerConfig;
  /** for a producer to Event Hubs (entrawatch itself only consumes; kept for completeness) */
  producer: ProducerConfig;
  /** hub names = Kafka topic names */
  topics: string[];
  fromBeginning: boolean;
  /** the only compression Event Hubs accepts; kafkajs decompresses gzip natively when consuming */
  compression: CompressionTypes.GZIP;
  /** commit one partition's offset at most this often (Event Hubs: 4 commits per second per partition) */
  minCommitIntervalMs: number;
  /** producers must keep requests below this (Event Hubs closes the connection above 1046528 bytes) */
  maxRequestSizeBytes: number;
  /**
   * Microsoft's connections.max.idle.ms. kafkajs has no such option: it reconnects when Azure closes an idle
   * connection (at 240 s), and metadataMaxAge keeps the connections in use; this value documents the intent.
   */
  connectionsMaxIdleMs: number;
  /** everything above without the secret, for logs and `entrawatch config show` */
  describeSafely(): EventHubsKafkaSafeDescription;
}

export interface EventHubsKafkaSafeDescription extends EventHubsConnectionStringInfo {
  mode: 'eventhubs-kafka';
  brokers: string[];
  ssl: true;
  sasl: { mechanism: 'plain'; username: string; password: typeof REDACTED };
  clientId: string;
  groupId: string;
  topics: string[];
  fromBeginning: boolean;
  requestTimeoutMs: number;
  sessionTimeoutMs: number;
  metadataMaxAgeMs: number;
  connectionsMaxIdleMs: number;
  compression: 'gzip';
  minCommitIntervalMs: number;
}

/**
 * Validates the `eventHubs` input section and derives the kafkajs settings. Throws ConfigError (naming the key
 * and the fix, never the secret) on a bad section or connection string.
 */
export function eventHubsKafkaConfig(input: EventHubsInputConfigInput, options: ResolveOptions = {}): EventHubsKafkaSettings {
  const prefix = options.keyPrefix ?? 'eventHubs';
  const parsedInput = eventHubsInputConfigSchema.safeParse(input);
  if (!parsedInput.success) {
    const issue = parsedInput.error.issues[0];
    const path = [prefix, ...issue.path.map(String)].join('.');
    // zod messages quote offending values only for enums/literals; strings (possible secrets) are never echoed here.
    throw new ConfigError(path, issue.message);
  }
  const config = parsedInput.data;
  const cs = resolveEventHubsConnectionString(config, { ...options, keyPrefix: prefix });
  if (cs.entityPath) {
    const others = config.hubs.filter((h) => h.toLowerCase() !== cs.entityPath!.toLowerCase());
    if (others.length > 0) {
      throw new ConfigError(
        `${prefix}.hubs`,
        `the connection string is bound to the hub "${cs.entityPath}" (EntityPath) but hubs also lists ${others.join(', ')}: ` +
          'use a namespace-level policy (no EntityPath) or one input section per hub.',
      );
    }
  }

  const brokers = [`${cs.host}:${EVENTHUBS_KAFKA_PORT}`];
  const sasl: PlainSasl = { mechanism: 'plain', username: '$ConnectionString', password: cs.connectionString };
  const info = connectionStringInfo(cs);

  const description: EventHubsKafkaSafeDescription = {
    mode: 'eventhubs-kafka',
    ...info,
    brokers,
    ssl: true,
    sasl: { mechanism: 'plain', username: sasl.username, password: REDACTED },
    clientId: config.clientId,
    groupId: config.consumerGroup,
    topics: [...config.hubs],
    fromBeginning: config.fromBeginning,
    requestTimeoutMs: EVENTHUBS_REQUEST_TIMEOUT_MS,
    sessionTimeoutMs: EVENTHUBS_SESSION_TIMEOUT_MS,
    metadataMaxAgeMs: EVENTHUBS_METADATA_MAX_AGE_MS,
    connectionsMaxIdleMs: EVENTHUBS_METADATA_MAX_AGE_MS,
    compression: 'gzip',
    minCommitIntervalMs: EVENTHUBS_MIN_COMMIT_INTERVAL_MS,
  };

  const settings: EventHubsKafkaSettings = {
    kafka: {
      clientId: config.clientId,
      brokers,
      // kafkajs verifies the server certificate by default (rejectUnauthorized stays true)
      ssl: true,
      sasl,
      connectionTimeout: 10_000,
      authenticationTimeout: 10_000,
      requestTimeout: EVENTHUBS_REQUEST_TIMEOUT_MS,
      enforceRequestTimeout: true,
    },
    consumer: {
      groupId: config.consumerGroup,
      sessionTimeout: EVENTHUBS_SESSION_TIMEOUT_MS,
      heartbeatInterval: 3_000,
      rebalanceTimeout: EVENTHUBS_REQUEST_TIMEOUT_MS,
      metadataMaxAge: EVENTHUBS_METADATA_MAX_AGE_MS,
      allowAutoTopicCreation: false,
    },
    producer: {
      metadataMaxAge: EVENTHUBS_METADATA_MAX_AGE_MS,
      allowAutoTopicCreation: false,
      idempotent: false,
    },
    topics: [...config.hubs],
    fromBeginning: config.fromBeginning,
    compression: CompressionTypes.GZIP,
    minCommitIntervalMs: EVENTHUBS_MIN_COMMIT_INTERVAL_MS,
    maxRequestSizeBytes: EVENTHUBS_MAX_REQUEST_SIZE_BYTES,
    connectionsMaxIdleMs: EVENTHUBS_METADATA_MAX_AGE_MS,
    describeSafely: () => structuredClone(description),
  };
  // Printing or serializing the settings by mistake shows the safe description, never the password.
  Object.defineProperties(settings, {
    toJSON: { value: () => settings.describeSafely(), enumerable: false },
    toString: { value: () => `EventHubsKafkaSettings ${JSON.stringify(settings.describeSafely())}`, enumerable: false },
    [inspect.custom]: { value: () => settings.describeSafely(), enumerable: false },
  });
  Object.defineProperties(sasl, {
    toJSON: { value: () => description.sasl, enumerable: false },
    [inspect.custom]: { value: () => description.sasl, enumerable: false },
  });
  Object.defineProperties(settings.kafka, {
    toJSON: { value: () => ({ ...settings.kafka, sasl: description.sasl }), enumerable: false },
    [inspect.custom]: { value: () => ({ ...settings.kafka, sasl: description.sasl }), enumerable: false },
  });
  return settings;
}

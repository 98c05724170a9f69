/**
 * Builds and starts a bridge from a parsed `bridge` config section: resolves the secrets (Event Hubs
 * connection string, Kafka SASL password, Redis URL) from the config, secret files or the environment, connects
 * Redis (checkpoints + ownership), one EventHubConsumerClient per hub, and the Kafka producer. `stop()` stops
 * reading first (nothing unacknowledged is checkpointed), then closes Event Hubs, Kafka and Redis.
 */
import { hostname } from 'node:os';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { ConfigError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import { redactSecrets } from '../observability/logger.js';
import {
  connectionStringInfo,
  resolveEventHubsConnectionString,
  type ParsedEventHubsConnectionString,
} from '../sources/eventhubs/connection-string.js';
import { AzureEventSourceClient } from './azure-event-source.js';
import { EventHubsKafkaBridge } from './bridge.js';
import { topicForHub, type BridgeConfig } from './config.js';
import { KafkajsBridgeProducer } from './kafka-producer.js';
import { RedisCheckpointStore } from './redis-checkpoint-store.js';

export const BRIDGE_KAFKA_PASSWORD_ENV = 'ENTRAWATCH_BRIDGE_KAFKA_PASSWORD';
export const REDIS_URL_ENV = 'ENTRAWATCH_REDIS_URL';

export interface BridgeSecrets {
  eventHubs: ParsedEventHubsConnectionString;
  kafkaSasl?: SASLOptions;
  redisUrl: string;
}

export interface ResolveBridgeSecretsOptions {
  env?: NodeJS.ProcessEnv;
  readFile?: (path: string) => string;
}

/** Finds every secret the bridge needs; ConfigError (naming the key, never the value) when one is missing. */
export function resolveBridgeSecrets(config: BridgeConfig, options: ResolveBridgeSecretsOptions = {}): BridgeSecrets {
  const env = options.env ?? process.env;
  const readFile = options.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  const eventHubs = resolveEventHubsConnectionString(config.eventHubs, { env, readFile, keyPrefix: 'bridge.eventHubs' });
  if (eventHubs.entityPath) {
    const others = config.eventHubs.hubs.filter((h) => h.name.toLowerCase() !== eventHubs.entityPath!.toLowerCase());
    if (others.length > 0) {
      throw new ConfigError(
        'bridge.eventHubs.hubs',
        `the connection string is bound to the hub "${eventHubs.entityPath}" (EntityPath) but hubs also lists ` +
          `${others.map((h) => h.name).join(', ')}: use a namespace-level policy or one bridge per hub.`,
      );
    }
  }

  let kafkaSasl: SASLOptions | undefined;
  const sasl = config.kafka.sasl;
  if (sasl) {
    if (sasl.password && sasl.passwordFile) {
      throw new ConfigError('bridge.kafka.sasl.password', 'both password and passwordFile are set: keep only passwordFile.');
    }
    let password = sasl.password;
    if (!password && sasl.passwordFile) {
      try {
        password = readFile(sasl.passwordFile).trim();
      } catch (err) {
        throw new ConfigError(
          'bridge.kafka.sasl.passwordFile',
          `cannot read ${sasl.passwordFile} (${(err as NodeJS.ErrnoException).code ?? 'unreadable'}): check the path and permissions.`,
        );
      }
    }
    password ||= env[BRIDGE_KAFKA_PASSWORD_ENV];
    if (!password) {
      throw new ConfigError('bridge.kafka.sasl.password', `no Kafka SASL password: set bridge.kafka.sasl.passwordFile or ${BRIDGE_KAFKA_PASSWORD_ENV}.`);
    }
    kafkaSasl = { mechanism: sasl.mechanism, username: sasl.username, password } as SASLOptions;
  }

  const redisUrl = config.redis.url ?? env[REDIS_URL_ENV];
  if (!redisUrl) {
    throw new ConfigError('bridge.redis.url', `no Redis for checkpoints: set bridge.redis.url or ${REDIS_URL_ENV} (e.g. redis://redis:6379).`);
  }
  return { eventHubs, ...(kafkaSasl ? { kafkaSasl } : {}), redisUrl };
}

export interface RunningBridge {
  bridge: EventHubsKafkaBridge;
  stop(): Promise<void>;
}

export async function runBridge(config: BridgeConfig, logger: Logger, options: ResolveBridgeSecretsOptions = {}): Promise<RunningBridge> {
  const secrets = resolveBridgeSecrets(config, options);
  const routes = config.eventHubs.hubs.map((h) => ({ hub: h.name, topic: topicForHub(config, h) }));
  logger.info(
    {
      eventHubs: { ...connectionStringInfo(secrets.eventHubs), consumerGroup: config.eventHubs.consumerGroup },
      routes,
      kafka: { brokers: config.kafka.brokers, ssl: config.kafka.ssl, sasl: config.kafka.sasl?.mechanism ?? 'none' },
      redis: redactSecrets(secrets.redisUrl),
    },
    'starting the Event Hubs -> Kafka bridge',
  );

  const redis = new Redis(secrets.redisUrl, { lazyConnect: true });
  redis.on('error', (err: Error) => logger.warn({ err: { name: err.name, message: redactSecrets(err.message) } }, 'Redis error'));
  await redis.connect();
  const store = new RedisCheckpointStore(redis, { keyPrefix: config.redis.keyPrefix });

  const kafka: KafkaConfig = {
    clientId: config.kafka.clientId,
    brokers: config.kafka.brokers,
    ssl: config.kafka.ssl,
    ...(secrets.kafkaSasl ? { sasl: secrets.kafkaSasl } : {}),
  };
  const producer = new KafkajsBridgeProducer({
    kafka,
    idempotent: config.kafka.idempotent,
    compression: config.kafka.compression,
    logger,
  });

  const identifier = `${hostname()}-${process.pid}`;
  const sources = routes.map(
    (r) =>
      new AzureEventSourceClient({
        connectionString: secrets.eventHubs.connectionString,
        eventHubName: r.hub,
        consumerGroup: config.eventHubs.consumerGroup,
        checkpointStore: store,
        identifier,
        loadBalancing: {
          strategy: config.eventHubs.loadBalancing.strategy,
          updateIntervalInMs: config.eventHubs.loadBalancing.updateIntervalMs,
          partitionOwnershipExpirationIntervalInMs: config.eventHubs.loadBalancing.ownershipExpirationMs,
        },
      }),
  );
  const bridge = new EventHubsKafkaBridge({
    routes: sources.map((source, i) => ({ source, topic: routes[i].topic })),
    producer,
    logger,
    subscribe: {
      maxBatchSize: config.eventHubs.maxBatchSize,
      maxWaitTimeInSeconds: config.eventHubs.maxWaitTimeInSeconds,
      startPosition: config.eventHubs.startPosition,
    },
    retry: config.retry,
  });
  bridge.start();

  return {
    bridge,
    async stop() {
      await bridge.stop();
      await Promise.allSettled(sources.map((s) => s.close()));
      await producer.close().catch(() => undefined);
      await redis.quit().catch(() => redis.disconnect());
      logger.info({ partitions: bridge.partitionStats() }, 'bridge stopped');
    },
  };
}

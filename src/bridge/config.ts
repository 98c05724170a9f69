/**
 * The `bridge` config section (`entrawatch bridge --config FILE`): which event hubs to read over AMQP, with
 * which Event Hubs consumer group, where to produce (Kafka brokers and topics), and the Redis that holds
 * checkpoints and partition ownership. Secrets (the Event Hubs connection string, a Kafka SASL password, a Redis
 * password in the URL) come from files or environment variables; the schema never echoes them.
 */
import { z } from 'zod';

const hubName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,255}$/, {
  error: 'an event hub name has letters, digits, ".", "-" or "_" (e.g. insights-logs-signinlogs)',
});
const topicName = z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, {
  error: 'a Kafka topic name has 1-249 letters, digits, ".", "_" or "-"',
});

const hubEntry = z.union([
  hubName.transform((name) => ({ name, topic: undefined as string | undefined })),
  z
    .object({
      name: hubName.describe('event hub name'),
      topic: topicName.optional().describe('Kafka topic for this hub (default: kafka.topic, else the hub name)'),
    })
    .strict(),
]);

export const bridgeConfigSchema = z
  .object({
    eventHubs: z
      .object({
        connectionString: z
          .string()
          .min(1)
          .optional()
          .describe('Namespace connection string (a secret: prefer connectionStringFile or ENTRAWATCH_EVENTHUBS_CONNECTION_STRING).'),
        connectionStringFile: z.string().min(1).optional().describe('File holding the connection string (a mounted secret).'),
        consumerGroup: z
          .string()
          .min(1)
          .default('$Default')
          .describe('Event Hubs consumer group (created in the portal; Standard allows 20 per hub). Use one of its own for the bridge.'),
        hubs: z
          .array(hubEntry)
          .min(1, { error: 'bridge.eventHubs.hubs is empty: list the hubs to bridge, e.g. [insights-logs-signinlogs, insights-logs-auditlogs]' })
          .describe('Hubs to read: a name, or {name, topic}.'),
        startPosition: z
          .enum(['earliest', 'latest'])
          .default('earliest')
          .describe('Where a partition without a checkpoint starts: the oldest retained event, or only new events.'),
        maxBatchSize: z.number().int().min(1).max(5000).default(100).describe('Events per batch handed to Kafka.'),
        maxWaitTimeInSeconds: z.number().positive().max(300).default(5).describe('How long a partition waits to fill a batch.'),
        loadBalancing: z
          .object({
            strategy: z.enum(['balanced', 'greedy']).default('balanced'),
            updateIntervalMs: z.number().int().min(1000).default(10_000).describe('How often each process renews and balances ownership.'),
            ownershipExpirationMs: z
              .number()
              .int()
              .min(5000)
              .default(60_000)
              .describe('An owner that has not renewed for this long loses its partitions to the others.'),
          })
          .strict()
          .prefault({}),
      })
      .strict(),
    kafka: z
      .object({
        brokers: z
          .array(z.string().regex(/^[^\s:]+:\d+$/, { error: 'a broker is host:port, e.g. kafka-1:9092' }))
          .min(1, { error: 'bridge.kafka.brokers is empty: list at least one host:port' }),
        topic: topicName.optional().describe('Topic for every hub without its own topic (default: a topic named like the hub).'),
        clientId: z.string().min(1).default('entrawatch-bridge'),
        ssl: z.boolean().default(false).describe('TLS to the brokers (certificates are verified).'),
        sasl: z
          .object({
            mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
            username: z.string().min(1),
            password: z.string().min(1).optional().describe('A secret: prefer passwordFile or ENTRAWATCH_BRIDGE_KAFKA_PASSWORD.'),
            passwordFile: z.string().min(1).optional(),
          })
          .strict()
          .optional(),
        idempotent: z.boolean().default(true).describe('Idempotent producer (needs a broker that supports it; set false if not).'),
        compression: z.enum(['none', 'gzip']).default('none'),
      })
      .strict(),
    redis: z
      .object({
        url: z
          .string()
          .regex(/^rediss?:\/\//, { error: 'bridge.redis.url must start with redis:// or rediss://' })
          .optional()
          .describe('Redis for checkpoints and ownership (default: ENTRAWATCH_REDIS_URL).'),
        keyPrefix: z.string().min(1).default('entrawatch:eventhubs'),
      })
      .strict()
      .prefault({}),
    retry: z
      .object({
        initialMs: z.number().int().min(10).default(500),
        maxMs: z.number().int().min(100).default(30_000),
      })
      .strict()
      .prefault({})
      .describe('Backoff for Kafka production while Kafka is unavailable (retried until it succeeds).'),
  })
  .strict();

export type BridgeConfig = z.output<typeof bridgeConfigSchema>;
export type BridgeConfigInput = z.input<typeof bridgeConfigSchema>;

/** The Kafka topic of a hub: its own, else the common one, else a topic named like the hub. */
export function topicForHub(config: BridgeConfig, hub: { name: string; topic?: string | undefined }): string {
  return hub.topic ?? config.kafka.topic ?? hub.name;
}

/**
 * The `kafka` section of the worker config: brokers, consumer group, topics, TLS and SASL. Validated as a pure step
 * before anything touches the network. Event Hubs' Kafka endpoint is plain Kafka with SASL PLAIN over TLS
 * (username `$ConnectionString`, password = the connection string), so it fits here too.
 */
import { z } from 'zod';

export const kafkaSaslConfigSchema = z
  .object({
    mechanism: z
      .enum(['plain', 'scram-sha-256', 'scram-sha-512'], {
        error: 'kafka.sasl.mechanism must be one of plain, scram-sha-256, scram-sha-512',
      })
      .default('plain')
      .describe('SASL mechanism'),
    username: z
      .string({ error: 'kafka.sasl.username is required when kafka.sasl is set' })
      .min(1, { error: 'kafka.sasl.username must not be empty' })
      .describe('SASL user name ($ConnectionString for Event Hubs)'),
    password: z
      .string({
        error: 'kafka.sasl.password is required when kafka.sasl is set: set it in the file or in ENTRAWATCH_KAFKA_SASL_PASSWORD',
      })
      .min(1, { error: 'kafka.sasl.password must not be empty: set ENTRAWATCH_KAFKA_SASL_PASSWORD' })
      .describe('SASL password (secret: prefer the ENTRAWATCH_KAFKA_SASL_PASSWORD environment variable)'),
  })
  .describe('SASL authentication');

export const kafkaSslConfigSchema = z
  .union([
    z.boolean(),
    z.object({
      rejectUnauthorized: z.boolean().default(true).describe('verify the broker certificate (keep true in production)'),
      ca: z.string().optional().describe('PEM of a private CA that signed the broker certificates'),
      servername: z.string().optional().describe('TLS SNI server name'),
    }),
  ])
  .default(false)
  .describe('TLS to the brokers: true, false, or options');

export const kafkaSourceConfigSchema = z
  .object({
    brokers: z
      .array(z.string().regex(/^[^\s:]+:\d+$/, { error: 'kafka.brokers entries must look like host:port' }), {
        error: 'kafka.brokers is required: a list of host:port, e.g. ["127.0.0.1:9092"]',
      })
      .min(1, { error: 'kafka.brokers must name at least one host:port' })
      .describe('bootstrap brokers, host:port'),
    clientId: z.string().min(1).default('entrawatch').describe('Kafka client id'),
    groupId: z.string().min(1).default('entrawatch').describe('consumer group id: workers with the same id share partitions'),
    topics: z
      .array(z.string().min(1), { error: 'kafka.topics is required: the list of topics to consume' })
      .min(1, { error: 'kafka.topics must name at least one topic' })
      .describe('topics to consume'),
    fromBeginning: z
      .boolean()
      .default(false)
      .describe('where a new consumer group starts: true = earliest offset, false = latest'),
    ssl: kafkaSslConfigSchema,
    sasl: kafkaSaslConfigSchema.optional(),
    connectionTimeoutMs: z.number().int().positive().default(10_000).describe('TCP connect timeout'),
    requestTimeoutMs: z.number().int().positive().default(30_000).describe('request timeout'),
    sessionTimeoutMs: z.number().int().positive().default(30_000).describe('consumer group session timeout'),
    heartbeatIntervalMs: z.number().int().positive().default(3_000).describe('consumer group heartbeat interval'),
    maxBytesPerPartition: z
      .number()
      .int()
      .positive()
      .default(1_048_576)
      .describe('max bytes fetched per partition per request'),
    maxBytes: z.number().int().positive().default(10_485_760).describe('max bytes fetched per request'),
    metadataMaxAgeMs: z
      .number()
      .int()
      .positive()
      .default(300_000)
      .describe('refresh cluster metadata at least this often (Event Hubs: below 240 s, it closes idle connections then)'),
    maxWaitTimeMs: z.number().int().positive().default(500).describe('max time the broker waits to fill a fetch'),
    partitionsConsumedConcurrently: z
      .number()
      .int()
      .positive()
      .default(1)
      .describe('partitions whose batches are decoded and evaluated at the same time'),
  })
  .describe('Kafka (or Event Hubs Kafka endpoint) source');

export type KafkaSourceConfig = z.infer<typeof kafkaSourceConfigSchema>;
export type KafkaSourceConfigInput = z.input<typeof kafkaSourceConfigSchema>;

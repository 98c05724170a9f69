/**
 * The `eventHubs` input section (direct mode: read Azure Event Hubs through its Kafka endpoint).
 * A pure zod schema: the lead composes it into the root config; `eventHubsKafkaConfig` turns a parsed
 * section into kafkajs settings. The connection string is a secret: prefer `connectionStringFile` or the
 * ENTRAWATCH_EVENTHUBS_CONNECTION_STRING environment variable over an inline value.
 */
import { z } from 'zod';

/** Event hub (= Kafka topic) names: 1-256 chars of letters, digits, '.', '-', '_' (Azure naming rules). */
const hubName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,255}$/, {
    error: 'an event hub name has letters, digits, ".", "-" or "_" (e.g. insights-logs-signinlogs)',
  });

export const eventHubsInputConfigSchema = z
  .object({
    connectionString: z
      .string()
      .min(1, { error: 'eventHubs.connectionString is empty: remove it or paste the namespace connection string' })
      .optional()
      .describe(
        'Namespace (or hub-level) connection string: Endpoint=sb://<ns>.servicebus.windows.net/;SharedAccessKeyName=...;' +
          'SharedAccessKey=... A secret: prefer connectionStringFile or ENTRAWATCH_EVENTHUBS_CONNECTION_STRING.',
      ),
    connectionStringFile: z
      .string()
      .min(1, { error: 'eventHubs.connectionStringFile is empty: give the path of a file holding the connection string' })
      .optional()
      .describe('Path of a file (e.g. a Kubernetes/Docker secret) that holds the connection string.'),
    hubs: z
      .array(hubName)
      .min(1, { error: 'eventHubs.hubs is empty: list at least one event hub, e.g. [insights-logs-signinlogs, insights-logs-auditlogs]' })
      .describe('Event hubs to read; each is a Kafka topic on the Kafka endpoint. Azure Monitor makes one hub per log category.'),
    consumerGroup: z
      .string()
      .min(1)
      .max(256, { error: 'eventHubs.consumerGroup is longer than 256 characters (Event Hubs limit for group.id): shorten it' })
      .default('entrawatch')
      .describe(
        'Kafka consumer group id (group.id). Kafka groups are created on the fly by Event Hubs and are separate from ' +
          'the Event Hubs consumer groups ($Default) that AMQP readers use.',
      ),
    clientId: z.string().min(1).default('entrawatch').describe('Kafka client.id shown in Event Hubs diagnostics.'),
    fromBeginning: z
      .boolean()
      .default(true)
      .describe('A new consumer group starts at the oldest retained event (true) or only at new events (false).'),
  })
  .strict()
  .describe('Direct mode: read Azure Event Hubs (Standard tier or higher) through its Kafka endpoint on port 9093.');

export type EventHubsInputConfig = z.output<typeof eventHubsInputConfigSchema>;
export type EventHubsInputConfigInput = z.input<typeof eventHubsInputConfigSchema>;

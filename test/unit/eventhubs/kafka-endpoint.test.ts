import { inspect } from 'node:util';
import { CompressionTypes } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import {
  EVENTHUBS_CONNECTION_STRING_ENV,
  parseEventHubsConnectionString,
  resolveEventHubsConnectionString,
} from '../../../src/sources/eventhubs/connection-string.js';
import { eventHubsKafkaConfig } from '../../../src/sources/eventhubs/kafka-endpoint.js';

const KEY = 'c2VjcmV0LWtleS1kby1ub3QtbGVhaw0123456789+/=';
const CS = `Endpoint=sb://contoso-logs.servicebus.windows.net/;SharedAccessKeyName=entrawatch-listen;SharedAccessKey=${KEY}`;
const HUBS = ['insights-logs-signinlogs', 'insights-logs-auditlogs'];

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('eventHubsKafkaConfig: derivation', () => {
  it('derives the Kafka endpoint settings Microsoft asks for', () => {
    const s = eventHubsKafkaConfig({ connectionString: CS, hubs: HUBS }, { env: {} });
    expect(s.kafka.brokers).toEqual(['contoso-logs.servicebus.windows.net:9093']);
    expect(s.kafka.ssl).toBe(true);
    expect(s.kafka.sasl).toEqual({ mechanism: 'plain', username: '$ConnectionString', password: CS });
    expect(s.kafka.requestTimeout).toBe(60_000);
    expect(s.consumer.sessionTimeout).toBe(30_000);
    expect(s.consumer.metadataMaxAge).toBe(180_000);
    expect(s.consumer.metadataMaxAge!).toBeLessThan(240_000);
    expect(s.producer.metadataMaxAge).toBe(180_000);
    expect(s.connectionsMaxIdleMs).toBeLessThan(240_000);
    expect(s.compression).toBe(CompressionTypes.GZIP);
    expect(s.minCommitIntervalMs).toBe(250); // 4 commits per second per partition
    expect(s.maxRequestSizeBytes).toBeLessThan(1_046_528);
    expect(s.consumer.groupId).toBe('entrawatch');
    expect(s.topics).toEqual(HUBS);
    expect(s.fromBeginning).toBe(true);
  });

  it('reads the connection string from a secret file, trimming the trailing newline', () => {
    const s = eventHubsKafkaConfig(
      { connectionStringFile: '/run/secrets/eh', hubs: HUBS },
      { env: {}, readFile: (p) => (p === '/run/secrets/eh' ? `${CS}\n` : '') },
    );
    expect(s.kafka.sasl.password).toBe(CS);
  });

  it('falls back to ENTRAWATCH_EVENTHUBS_CONNECTION_STRING', () => {
    const s = eventHubsKafkaConfig({ hubs: HUBS }, { env: { [EVENTHUBS_CONNECTION_STRING_ENV]: CS } });
    expect(s.kafka.brokers).toEqual(['contoso-logs.servicebus.windows.net:9093']);
  });

  it('keeps a hub-level (EntityPath) policy and the consumer group given', () => {
    const s = eventHubsKafkaConfig(
      { connectionString: `${CS};EntityPath=insights-logs-signinlogs`, hubs: ['insights-logs-signinlogs'], consumerGroup: 'soc' },
      { env: {} },
    );
    expect(s.describeSafely().entityPath).toBe('insights-logs-signinlogs');
    expect(s.consumer.groupId).toBe('soc');
  });
});

describe('eventHubsKafkaConfig: validation messages name the key and the fix, never the secret', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['no endpoint', `SharedAccessKeyName=a;SharedAccessKey=${KEY}`, /no Endpoint=sb:\/\//],
    ['https endpoint', `Endpoint=https://x.servicebus.windows.net/;SharedAccessKeyName=a;SharedAccessKey=${KEY}`, /Endpoint must look like sb:\/\//],
    ['no key name', `Endpoint=sb://x.servicebus.windows.net/;SharedAccessKey=${KEY}`, /no SharedAccessKeyName/],
    ['no key', 'Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=listen', /no SharedAccessKey for policy "listen"/],
    ['not pairs', 'c2VjcmV0LWtleS1kby1ub3QtbGVhaw0123456789', /Name=value pairs/],
    ['quoted', `"${CS}"`, /quotes/],
  ];
  for (const [name, value, message] of cases) {
    it(`rejects ${name}`, () => {
      const err = configError(() => eventHubsKafkaConfig({ connectionString: value, hubs: HUBS }, { env: {} }));
      expect(err.key).toBe('eventHubs.connectionString');
      expect(err.message).toMatch(message);
      expect(err.message).not.toContain(KEY);
      expect(JSON.stringify(err)).not.toContain(KEY);
      expect(String(err.stack)).not.toContain(KEY);
    });
  }

  it('says where to put the connection string when there is none', () => {
    const err = configError(() => eventHubsKafkaConfig({ hubs: HUBS }, { env: {} }));
    expect(err.message).toContain('ENTRAWATCH_EVENTHUBS_CONNECTION_STRING');
    expect(err.message).toContain('connectionStringFile');
  });

  it('refuses both an inline string and a file', () => {
    const err = configError(() =>
      eventHubsKafkaConfig({ connectionString: CS, connectionStringFile: '/x', hubs: HUBS }, { env: {} }),
    );
    expect(err.message).toMatch(/keep only one/);
    expect(err.message).not.toContain(KEY);
  });

  it('names an unreadable secret file without its content', () => {
    const err = configError(() =>
      eventHubsKafkaConfig(
        { connectionStringFile: '/nope', hubs: HUBS },
        {
          env: {},
          readFile: () => {
            throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
          },
        },
      ),
    );
    expect(err.key).toBe('eventHubs.connectionStringFile');
    expect(err.message).toMatch(/\/nope \(ENOENT\)/);
  });

  it('rejects an empty hub list, bad hub names and too long group ids with the key path', () => {
    expect(configError(() => eventHubsKafkaConfig({ connectionString: CS, hubs: [] }, { env: {} })).key).toBe('eventHubs.hubs');
    expect(configError(() => eventHubsKafkaConfig({ connectionString: CS, hubs: ['bad name'] }, { env: {} })).key).toBe(
      'eventHubs.hubs.0',
    );
    const long = configError(() => eventHubsKafkaConfig({ connectionString: CS, hubs: HUBS, consumerGroup: 'g'.repeat(257) }, { env: {} }));
    expect(long.key).toBe('eventHubs.consumerGroup');
    expect(long.message).toMatch(/256/);
  });

  it('refuses hubs other than the EntityPath of a hub-level policy', () => {
    const err = configError(() =>
      eventHubsKafkaConfig({ connectionString: `${CS};EntityPath=insights-logs-signinlogs`, hubs: HUBS }, { env: {} }),
    );
    expect(err.key).toBe('eventHubs.hubs');
    expect(err.message).toContain('insights-logs-auditlogs');
    expect(err.message).not.toContain(KEY);
  });

  it('parses without leaking: the parsed info has no key', () => {
    const parsed = parseEventHubsConnectionString(CS);
    expect(parsed.namespace).toBe('contoso-logs');
    expect(parsed.sharedAccessKeyName).toBe('entrawatch-listen');
    expect(() => resolveEventHubsConnectionString({}, { env: {} })).toThrow(ConfigError);
  });
});

describe('describeSafely and accidental printing', () => {
  const s = eventHubsKafkaConfig({ connectionString: CS, hubs: HUBS }, { env: {} });

  it('describes the settings without the key or the connection string', () => {
    const d = s.describeSafely();
    expect(d.brokers).toEqual(['contoso-logs.servicebus.windows.net:9093']);
    expect(d.sasl).toEqual({ mechanism: 'plain', username: '$ConnectionString', password: '[REDACTED]' });
    expect(d.namespace).toBe('contoso-logs');
    for (const text of [JSON.stringify(d), String(d), inspect(d, { depth: 10 })]) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain('SharedAccessKey=');
    }
  });

  it('prints the settings themselves safely (JSON, String, inspect) while kafkajs still reads the password', () => {
    for (const text of [
      JSON.stringify(s),
      String(s),
      inspect(s, { depth: 10 }),
      JSON.stringify(s.kafka),
      inspect(s.kafka, { depth: 10 }),
      JSON.stringify({ sasl: s.kafka.sasl }),
    ]) {
      expect(text).not.toContain(KEY);
    }
    expect(s.kafka.sasl.password).toBe(CS);
    expect({ ...s.kafka.sasl }.password).toBe(CS);
  });
});

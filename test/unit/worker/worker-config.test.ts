/**
 * The worker's config file: Event Hubs direct mode derives the Kafka settings Microsoft requires; the input must be
 * kafka or eventHubs; sections scan also reads (placeholders, rules) and every sink kind are accepted.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWorkerConfig, workerCommandConfigSchema } from '../../../src/cli/worker.js';

const KEY = 'c2VjcmV0LWtleS1kby1ub3QtcHJpbnQ=';
const CONNECTION_STRING = `Endpoint=sb://contoso-logs.servicebus.windows.net/;SharedAccessKeyName=entrawatch-listen;SharedAccessKey=${KEY}`;

describe('worker config', () => {
  it('derives the Event Hubs Kafka-endpoint settings from a connection string', () => {
    const c = workerCommandConfigSchema.parse({
      eventHubs: { connectionString: CONNECTION_STRING, hubs: ['insights-logs-signinlogs', 'insights-logs-auditlogs'], consumerGroup: 'entrawatch-prod' },
      pipeline: { commitIntervalMs: 250 },
      sinks: { file: { path: '-' } },
    });
    expect(c.kafka.brokers).toEqual(['contoso-logs.servicebus.windows.net:9093']);
    expect(c.kafka.ssl).toBe(true);
    expect(c.kafka.sasl).toEqual({ mechanism: 'plain', username: '$ConnectionString', password: CONNECTION_STRING });
    expect(c.kafka.topics).toEqual(['insights-logs-signinlogs', 'insights-logs-auditlogs']);
    expect(c.kafka.groupId).toBe('entrawatch-prod');
    expect(c.kafka.metadataMaxAgeMs).toBeLessThan(240_000);
    expect(c.kafka.requestTimeoutMs).toBeGreaterThanOrEqual(60_000);
    expect(c.kafka.sessionTimeoutMs).toBe(30_000);
    expect(c.pipeline.commitIntervalMs).toBeGreaterThanOrEqual(250); // at most 4 commits/s per partition
  });

  it('needs exactly one input and says which keys to set', () => {
    const none = workerCommandConfigSchema.safeParse({ sinks: { file: { path: '-' } } });
    expect(none.success).toBe(false);
    expect(none.error?.issues.map((i) => i.message).join()).toMatch(/set kafka .* or eventHubs/);
    const both = workerCommandConfigSchema.safeParse({
      kafka: { brokers: ['127.0.0.1:9092'], topics: ['t'] },
      eventHubs: { connectionString: CONNECTION_STRING, hubs: ['h'] },
    });
    expect(both.success).toBe(false);
    expect(both.error?.issues.map((i) => i.message).join()).toMatch(/either kafka or eventHubs/);
  });

  it('never echoes the connection string key in a config error', () => {
    const bad = `Endpoint=http://not-sb/;SharedAccessKeyName=x;SharedAccessKey=${KEY}`;
    let message = '';
    try {
      workerCommandConfigSchema.parse({ eventHubs: { connectionString: bad, hubs: ['h'] } });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).not.toBe('');
    expect(message).not.toContain(KEY);
  });

  it('accepts placeholders, rules and several sinks at once', () => {
    const c = workerCommandConfigSchema.parse({
      kafka: { brokers: ['127.0.0.1:9092'], topics: ['insights-logs-signinlogs'] },
      placeholders: { operating_countries: ['US', 'CA'] },
      rules: { correlation: { allowedLateness: '15m' } },
      sinks: {
        hec: { urls: ['https://splunk.example.com:8088'], token: '00000000-0000-0000-0000-000000000000', index: 'entra' },
        kafka: { detectionsTopic: 'entrawatch.detections' },
        syslog: { host: 'qradar.example.com', format: 'leef' },
      },
    });
    expect(c.placeholders.operating_countries).toEqual(['US', 'CA']);
    expect(c.rules.paths).toEqual(['rules']);
    expect(c.rules.correlation.allowedLateness).toBe('15m');
    expect(Object.keys(c.sinks).sort()).toEqual(['hec', 'kafka', 'syslog']);
    expect(c.jobs.enabled).toBe(true);
  });
});

describe('worker config from a file and the environment', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ew-wcfg-'));
  const file = join(dir, 'entrawatch.yaml');
  writeFileSync(file, 'kafka:\n  brokers: ["127.0.0.1:9092"]\n  topics: [one]\nsinks:\n  file: {path: "-"}\n');

  it('reads numbers, booleans and lists from environment overrides, and the short names', () => {
    const c = loadWorkerConfig(file, {
      ENTRAWATCH_PIPELINE__COMMIT_INTERVAL_MS: '750',
      ENTRAWATCH_KAFKA__FROM_BEGINNING: 'true',
      ENTRAWATCH_KAFKA__TOPICS: 'insights-logs-signinlogs, insights-logs-auditlogs',
      ENTRAWATCH_METRICS__PORT: '9555',
      ENTRAWATCH_LOG_LEVEL: 'debug',
      ENTRAWATCH_REDIS_URL: 'redis://:secret@redis:6379',
    });
    expect(c.pipeline.commitIntervalMs).toBe(750);
    expect(c.kafka.fromBeginning).toBe(true);
    expect(c.kafka.topics).toEqual(['insights-logs-signinlogs', 'insights-logs-auditlogs']);
    expect(c.metrics.port).toBe(9555);
    expect(c.log.level).toBe('debug');
    expect(c.state.backend).toBe('redis');
  });

  it('names the key and never reinterprets a wrong value from the file', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'kafka:\n  brokers: ["127.0.0.1:9092"]\n  topics: [one]\npipeline:\n  commitIntervalMs: "soon"\nsinks:\n  file: {path: "-"}\n');
    expect(() => loadWorkerConfig(bad, {})).toThrow(/pipeline\.commitIntervalMs/);
    expect(() => loadWorkerConfig(file, { ENTRAWATCH_PIPELINE__COMMIT_INTERVAL_MS: 'soon' })).toThrow(/pipeline\.commitIntervalMs/);
  });
});

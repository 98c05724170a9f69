import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bridgeConfigSchema, topicForHub } from '../../../src/bridge/config.js';
import { resolveBridgeSecrets } from '../../../src/bridge/run-bridge.js';
import { loadBridgeConfig } from '../../../src/cli/bridge.js';
import { ConfigError } from '../../../src/errors.js';

const KEY = 'bWFkZS11cC1rZXktZm9yLXRlc3RzLW9ubHk0123456789';
const CS = `Endpoint=sb://b2c-logs.servicebus.windows.net/;SharedAccessKeyName=bridge-listen;SharedAccessKey=${KEY}`;
const base = { eventHubs: { hubs: ['insights-logs-signinlogs', { name: 'insights-logs-auditlogs', topic: 'entra-audit' }] }, kafka: { brokers: ['kafka:9092'] } };

function tmpFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ew-bridge-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('bridge config', () => {
  it('fills the defaults and routes each hub to its topic', () => {
    const c = bridgeConfigSchema.parse(base);
    expect(c.eventHubs.consumerGroup).toBe('$Default');
    expect(c.eventHubs.startPosition).toBe('earliest');
    expect(c.eventHubs.loadBalancing).toEqual({ strategy: 'balanced', updateIntervalMs: 10_000, ownershipExpirationMs: 60_000 });
    expect(c.kafka.idempotent).toBe(true);
    expect(c.retry).toEqual({ initialMs: 500, maxMs: 30_000 });
    expect(c.eventHubs.hubs.map((h) => topicForHub(c, h))).toEqual(['insights-logs-signinlogs', 'entra-audit']);
    const common = bridgeConfigSchema.parse({ ...base, kafka: { ...base.kafka, topic: 'entra-raw' } });
    expect(common.eventHubs.hubs.map((h) => topicForHub(common, h))).toEqual(['entra-raw', 'entra-audit']);
  });

  it('loads a file with a top-level bridge key and names the bad key without echoing values', async () => {
    const ok = await loadBridgeConfig(tmpFile('ok.yaml', `bridge:\n  eventHubs:\n    hubs: [insights-logs-signinlogs]\n  kafka:\n    brokers: ["k:9092"]\n`));
    expect(ok.eventHubs.hubs[0].name).toBe('insights-logs-signinlogs');

    const bad = tmpFile('bad.yaml', `eventHubs:\n  connectionString: "${CS}"\n  hubs: []\nkafka:\n  brokers: ["k:9092"]\n`);
    const err = await loadBridgeConfig(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).key).toBe('bridge.eventHubs.hubs');
    expect((err as ConfigError).message).not.toContain(KEY);

    const broker = await loadBridgeConfig(tmpFile('b.yaml', `eventHubs: {hubs: [a]}\nkafka: {brokers: ["no-port"]}\n`)).catch((e: unknown) => e);
    expect((broker as ConfigError).key).toBe('bridge.kafka.brokers.0');
    expect((broker as ConfigError).message).toMatch(/host:port/);
  });

  it('resolves secrets from files and the environment, never putting them in errors', () => {
    const c = bridgeConfigSchema.parse({
      ...base,
      eventHubs: { ...base.eventHubs, connectionStringFile: '/run/secrets/eh' },
      kafka: { ...base.kafka, sasl: { mechanism: 'scram-sha-512', username: 'bridge', passwordFile: '/run/secrets/kafka' } },
    });
    const files: Record<string, string> = { '/run/secrets/eh': `${CS}\n`, '/run/secrets/kafka': 'kafka-secret\n' };
    const s = resolveBridgeSecrets(c, { env: { ENTRAWATCH_REDIS_URL: 'redis://r:6379' }, readFile: (p) => files[p] });
    expect(s.eventHubs.connectionString).toBe(CS);
    expect(s.kafkaSasl).toEqual({ mechanism: 'scram-sha-512', username: 'bridge', password: 'kafka-secret' });
    expect(s.redisUrl).toBe('redis://r:6379');

    const noRedis = (() => {
      try {
        resolveBridgeSecrets(bridgeConfigSchema.parse(base), { env: { ENTRAWATCH_EVENTHUBS_CONNECTION_STRING: CS } });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(noRedis?.key).toBe('bridge.redis.url');

    const entity = (() => {
      try {
        resolveBridgeSecrets(bridgeConfigSchema.parse(base), {
          env: { ENTRAWATCH_EVENTHUBS_CONNECTION_STRING: `${CS};EntityPath=insights-logs-signinlogs`, ENTRAWATCH_REDIS_URL: 'redis://r' },
        });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(entity?.key).toBe('bridge.eventHubs.hubs');
    expect(entity?.message).toContain('insights-logs-auditlogs');
    expect(entity?.message).not.toContain(KEY);
  });
});

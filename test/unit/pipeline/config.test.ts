import { describe, expect, it } from 'vitest';
import { deadLetterTopicFor, workerConfigSchema } from '../../../src/pipeline/config.js';

describe('workerConfigSchema', () => {
  it('fills every default from brokers and topics alone', () => {
    const c = workerConfigSchema.parse({ kafka: { brokers: ['127.0.0.1:9092'], topics: ['entra'] } });
    expect(c.kafka).toMatchObject({ groupId: 'entrawatch', fromBeginning: false, ssl: false });
    expect(c.pipeline).toMatchObject({ commitIntervalMs: 1000, maxInFlightBytes: 8 * 1024 * 1024 });
    expect(c.deadLetter.topic).toBe('{topic}.dlq');
    expect(c.state.backend).toBe('memory');
    expect(c.metrics.port).toBe(9464);
  });

  it('names the key and the fix in its errors', () => {
    const bad = workerConfigSchema.safeParse({
      kafka: { brokers: ['nohost'], topics: ['t'] },
      pipeline: { commitIntervalMs: 100 },
      state: { backend: 'redis', redis: { url: 'mysql://x' } },
    });
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'kafka.brokers.0: kafka.brokers entries must look like host:port',
        expect.stringContaining('pipeline.commitIntervalMs: pipeline.commitIntervalMs must be >= 250'),
        expect.stringContaining('state.redis.url must start with redis://'),
      ]),
    );
    const missing = workerConfigSchema.safeParse({ kafka: { brokers: ['h:1'] } });
    expect(missing.error!.issues[0].message).toMatch(/kafka.topics is required/);
  });

  it('builds the dead-letter topic from its template', () => {
    expect(deadLetterTopicFor('{topic}.dlq', 'signins')).toBe('signins.dlq');
    expect(deadLetterTopicFor('dead-letters', 'signins')).toBe('dead-letters');
  });
});

/**
 * Config section `state` of entrawatch.yaml: where correlation state lives, and a factory for the store.
 */
import { z } from 'zod';
import { MemoryCounterStore } from './memory/memory-counter-store.js';
import { RedisCounterStore } from './redis/redis-counter-store.js';
import type { CounterStore } from './types.js';

export const counterStoreConfigSchema = z
  .object({
    backend: z
      .enum(['memory', 'redis'])
      .default('memory')
      .describe('memory: one process (scan); redis: shared by every worker'),
    redis: z
      .object({
        url: z
          .string()
          .regex(/^rediss?:\/\//, { message: 'state.redis.url must start with redis:// or rediss://' })
          .default('redis://127.0.0.1:6379')
          .describe('Redis URL (a password in it is never logged); may come from ENTRAWATCH_REDIS_URL'),
        keyPrefix: z
          .string()
          .regex(/^[^{}]*$/, { message: 'state.redis.keyPrefix must not contain { or }: the store adds a hash tag' })
          .default('entrawatch:')
          .describe('prefix of every key; keys carry a {hash tag} per correlation for Redis Cluster'),
      })
      .prefault({})
      .describe('Redis connection of the counter store'),
  })
  .describe('correlation state store');

export type CounterStoreConfig = z.infer<typeof counterStoreConfigSchema>;

export async function createCounterStore(config: CounterStoreConfig): Promise<CounterStore> {
  if (config.backend === 'memory') return new MemoryCounterStore();
  return RedisCounterStore.connect(config.redis.url, config.redis.keyPrefix);
}

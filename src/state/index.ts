/**
 * The state module: the CounterStore interface and its two implementations.
 */
export type * from './types.js';
export { EVIDENCE_CAP } from './types.js';
export { MemoryCounterStore } from './memory/memory-counter-store.js';
export { RedisCounterStore, type RedisCounterStoreOptions } from './redis/redis-counter-store.js';
export { counterStoreConfigSchema, type CounterStoreConfig, createCounterStore } from './config.js';

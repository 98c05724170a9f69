/**
 * Redis memory per account: runs the guide rules (rules/) with the Redis counter store over N distinct consumer
 * accounts, each with failed sign-ins (50126 on the B2C apps: CA-4 windows, CA-7 series) and a successful sign-in,
 * and measures Redis used_memory before and after. Prints bytes per account and the extrapolation to one million
 * accounts; writes bench/results/redis-memory.json. Run: npx tsx bench/redis-memory.ts [--accounts 50000]
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { RedisCounterStore } from '../src/state/index.js';
import { createRuleEngine } from '../src/runtime/create-engine.js';
import { loadScanConfig } from '../src/config/scan-config.js';
import { decodeMessage } from '../src/decode/index.js';
import { normalizeRecord } from '../src/normalize/index.js';
import type { EntraEvent } from '../src/normalize/event.js';
import { sized, writeResult } from './lib/results.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const arg = process.argv.indexOf('--accounts');
const ACCOUNTS = arg > 0 ? Number(process.argv[arg + 1]) : sized(50_000, 5_000);
const REDIS_URL = process.env.ENTRAWATCH_TEST_REDIS_URL ?? 'redis://127.0.0.1:6390';
const prefix = `bench-mem-${Date.now()}:`;

function event(id: string, upn: string, code: number, time: number): EntraEvent {
  const t = new Date(time).toISOString();
  const record = {
    time: t, category: 'SignInLogs', operationName: 'Sign-in activity', resultType: String(code), callerIpAddress: '198.51.100.20', location: 'US',
    properties: { id, createdDateTime: t, userPrincipalName: upn, userId: id, appDisplayName: 'ProxyIdentityExperienceFramework', ipAddress: '198.51.100.20',
      status: { errorCode: code, failureReason: code ? 'Invalid username or password' : undefined }, location: { countryOrRegion: 'US' } },
  };
  const [d] = decodeMessage(JSON.stringify(record), { source: 'bench' });
  if (!d?.ok) throw new Error('bench record did not decode');
  return normalizeRecord(d);
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)![1]);
}

const redis = new Redis(REDIS_URL);
const config = loadScanConfig(join(root, 'entrawatch.example.yaml'));
const store = await RedisCounterStore.connect(REDIS_URL, prefix);
const engine = await createRuleEngine({ rules: config.rules, placeholders: config.placeholders, store, baseDir: root, resolveDns: false });
const before = await usedMemory(redis);
const t0 = Date.UTC(2026, 10, 2, 8);
const started = performance.now();
let batch: EntraEvent[] = [];
for (let i = 0; i < ACCOUNTS; i++) {
  const upn = `${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000@contosob2c.onmicrosoft.com`;
  const time = t0 + Math.floor((i / ACCOUNTS) * 8 * 3600_000);
  batch.push(event(`f1-${i}`, upn, 50126, time), event(`f2-${i}`, upn, 50126, time + 1000), event(`ok-${i}`, upn, 0, time + 2000));
  if (batch.length >= 501) {
    await engine.processBatch(batch);
    batch = [];
  }
}
await engine.processBatch(batch);
const seconds = (performance.now() - started) / 1000;
const after = await usedMemory(redis);
const keys = (await redis.keys(`${prefix}*`)).length;
const bytesPerAccount = Math.round((after - before) / ACCOUNTS);
const result = {
  name: 'redis-memory',
  date: new Date().toISOString(),
  accounts: ACCOUNTS,
  events: ACCOUNTS * 3,
  keys,
  usedMemoryBytesDelta: after - before,
  bytesPerAccount,
  mbPerMillionAccounts: Math.round((bytesPerAccount * 1_000_000) / 1e6),
  eventsPerSecond: Math.round((ACCOUNTS * 3) / seconds),
  summary: `${bytesPerAccount} bytes per active account (~${Math.round((bytesPerAccount * 1e6) / 1e6)} MB per million accounts active within the longest window), ${keys} keys`,
  note: 'state of accounts active within the windows of the guide rules (10 min to 1 h; TTL-bounded), with id-dedup sets; idle accounts cost nothing after their TTLs',
};
console.log(result);
writeResult('redis-memory', result);
await store.close();
const stale = await redis.keys(`${prefix}*`);
for (let i = 0; i < stale.length; i += 1000) await redis.del(...stale.slice(i, i + 1000));
await redis.quit();

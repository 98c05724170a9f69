/**
 * RedisCheckpointStore against a real Redis: what the Event Hubs SDK's load balancer relies on.
 */
import type { PartitionOwnership } from '@azure/event-hubs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCheckpointStore } from '../../../src/bridge/redis-checkpoint-store.js';
import { assertReachable, testRedisUrl, uniqueName } from '../../support/services.js';

const NS = 'contoso-logs.servicebus.windows.net';
const GROUP = '$Default';
/** The SDK's default partitionOwnershipExpirationIntervalInMs. */
const SDK_EXPIRY_MS = 60_000;

let redisA: Redis;
let redisB: Redis;
let prefix: string;

beforeAll(async () => {
  await assertReachable(testRedisUrl(), 'Redis');
  redisA = new Redis(testRedisUrl());
  redisB = new Redis(testRedisUrl());
  prefix = uniqueName('ew-ehcp');
});

afterAll(async () => {
  const keys = await redisA.keys(`${prefix}*`);
  if (keys.length) await redisA.del(...keys);
  redisA.disconnect();
  redisB.disconnect();
});

function request(hub: string, partitionId: string, ownerId: string, etag?: string): PartitionOwnership {
  return { fullyQualifiedNamespace: NS, eventHubName: hub, consumerGroup: GROUP, partitionId, ownerId, ...(etag ? { etag } : {}) };
}

/** The SDK's rule (loadBalancingStrategy.getActivePartitionOwnerships): a claim is active when recent and owned. */
function isActive(o: PartitionOwnership, now = Date.now()): boolean {
  return now - (o.lastModifiedTimeInMs ?? 0) < SDK_EXPIRY_MS && o.ownerId !== '';
}

describe('RedisCheckpointStore', () => {
  it('claims an unowned partition and lists it with owner, etag and the Redis server time', async () => {
    const store = new RedisCheckpointStore(redisA, { keyPrefix: prefix });
    const hub = uniqueName('hub');
    const [claimed] = await store.claimOwnership([request(hub, '0', 'owner-a')]);
    expect(claimed.ownerId).toBe('owner-a');
    expect(claimed.etag).toMatch(/^[0-9a-f-]{36}$/);
    expect(Math.abs(claimed.lastModifiedTimeInMs! - Date.now())).toBeLessThan(5_000);

    const listed = await store.listOwnership(NS, hub, GROUP);
    expect(listed).toEqual([{ ...request(hub, '0', 'owner-a'), etag: claimed.etag, lastModifiedTimeInMs: claimed.lastModifiedTimeInMs }]);
    expect(isActive(listed[0])).toBe(true);
  });

  it('lets exactly one of many concurrent claims for the same partition win', async () => {
    const hub = uniqueName('hub');
    const stores = [redisA, redisB, redisA, redisB, redisA, redisB].map((r) => new RedisCheckpointStore(r, { keyPrefix: prefix }));
    for (const partitionId of ['0', '1', '2', '3', '4', '5', '6', '7']) {
      const results = await Promise.all(stores.map((s, i) => s.claimOwnership([request(hub, partitionId, `owner-${i}`)])));
      const winners = results.flat();
      expect(winners).toHaveLength(1);
      const [listed] = (await stores[0].listOwnership(NS, hub, GROUP)).filter((o) => o.partitionId === partitionId);
      expect(listed.ownerId).toBe(winners[0].ownerId);
      expect(listed.etag).toBe(winners[0].etag);
    }
    // a second round where everyone carries the etag they listed: still exactly one winner per partition
    const listed = await stores[0].listOwnership(NS, hub, GROUP);
    const round = await Promise.all(
      stores.map((s, i) => s.claimOwnership(listed.map((o) => request(hub, o.partitionId, `owner-${i}`, o.etag)))),
    );
    const won = round.flat();
    expect(won).toHaveLength(8);
    expect(new Set(won.map((o) => o.partitionId)).size).toBe(8);
  });

  it('refuses a stale etag and leaves it out of a mixed batch', async () => {
    const a = new RedisCheckpointStore(redisA, { keyPrefix: prefix });
    const b = new RedisCheckpointStore(redisB, { keyPrefix: prefix });
    const hub = uniqueName('hub');
    const [a0, a1] = await a.claimOwnership([request(hub, '0', 'a'), request(hub, '1', 'a')]);
    const [b0] = await b.claimOwnership([request(hub, '0', 'b', a0.etag)]); // b steals partition 0 with the etag it listed
    expect(b0.ownerId).toBe('b');
    expect(b0.etag).not.toBe(a0.etag);

    // a renews both with its old etags: partition 0 is stale and left out, partition 1 renews
    const renewed = await a.claimOwnership([request(hub, '0', 'a', a0.etag), request(hub, '1', 'a', a1.etag)]);
    expect(renewed.map((o) => o.partitionId)).toEqual(['1']);
    // a claim without etag for an existing record is stale too (someone created it since we listed)
    expect(await a.claimOwnership([request(hub, '0', 'a')])).toEqual([]);
    // a made-up etag never wins
    expect(await a.claimOwnership([request(hub, '0', 'a', 'not-an-etag')])).toEqual([]);

    const owners = Object.fromEntries((await a.listOwnership(NS, hub, GROUP)).map((o) => [o.partitionId, o.ownerId]));
    expect(owners).toEqual({ '0': 'b', '1': 'a' });
  });

  it('keeps an ownership whose owner stopped renewing, so the SDK sees it expire and takes it over with its etag', async () => {
    const hub = uniqueName('hub');
    // a crashed owner: its last renewal was 2 minutes ago
    const crashed = new RedisCheckpointStore(redisA, { keyPrefix: prefix, now: () => Date.now() - 120_000 });
    await crashed.claimOwnership([request(hub, '0', 'crashed')]);
    const live = new RedisCheckpointStore(redisB, { keyPrefix: prefix });
    const [listed] = await live.listOwnership(NS, hub, GROUP);
    expect(listed.ownerId).toBe('crashed');
    expect(isActive(listed)).toBe(false); // expired in the SDK's eyes
    const [taken] = await live.claimOwnership([request(hub, '0', 'live', listed.etag)]);
    expect(taken.ownerId).toBe('live');
    expect(isActive(taken)).toBe(true);
    // the crashed process comes back with its old etag and loses
    expect(await crashed.claimOwnership([request(hub, '0', 'crashed', listed.etag)])).toEqual([]);
  });

  it('records an abandoned partition (ownerId "") as claimable at once', async () => {
    const store = new RedisCheckpointStore(redisA, { keyPrefix: prefix });
    const hub = uniqueName('hub');
    const [mine] = await store.claimOwnership([request(hub, '3', 'me')]);
    // what EventProcessor.abandonPartitionOwnerships sends on close
    const [abandoned] = await store.claimOwnership([{ ...mine, ownerId: '' }]);
    expect(abandoned.ownerId).toBe('');
    const [listed] = await store.listOwnership(NS, hub, GROUP);
    expect(listed.ownerId).toBe('');
    expect(isActive(listed)).toBe(false);
    expect(await store.claimOwnership([request(hub, '3', 'next', listed.etag)])).toHaveLength(1);
  });

  it('round-trips checkpoints, overwrites them, and keeps hubs and consumer groups apart (case-insensitively)', async () => {
    const a = new RedisCheckpointStore(redisA, { keyPrefix: prefix });
    const b = new RedisCheckpointStore(redisB, { keyPrefix: prefix });
    const hub = uniqueName('hub');
    const cp = (partitionId: string, sequenceNumber: number, offset: string, consumerGroup = GROUP) => ({
      fullyQualifiedNamespace: NS,
      eventHubName: hub,
      consumerGroup,
      partitionId,
      sequenceNumber,
      offset,
    });
    expect(await a.listCheckpoints(NS, hub, GROUP)).toEqual([]);
    await a.updateCheckpoint(cp('0', 41, '8589934592'));
    await a.updateCheckpoint(cp('1', 7, '1024'));
    await a.updateCheckpoint(cp('0', 42, '8589935000'));
    await a.updateCheckpoint(cp('0', 3, '12', 'other-group'));
    // a second process (its own connection) sees the same state, whatever the case of the names
    const upper = { fullyQualifiedNamespace: NS.toUpperCase(), eventHubName: hub.toUpperCase() };
    expect(await b.listCheckpoints(NS.toUpperCase(), hub.toUpperCase(), GROUP)).toEqual([
      { ...cp('0', 42, '8589935000'), ...upper },
      { ...cp('1', 7, '1024'), ...upper },
    ]);
    expect(await b.listCheckpoints(NS, hub, 'other-group')).toEqual([cp('0', 3, '12', 'other-group')]);
    await expect(a.updateCheckpoint({ ...cp('0', 1, '1'), sequenceNumber: undefined as unknown as number })).rejects.toThrow(
      /sequenceNumber and offset/,
    );
  });

  it('puts the ownership and checkpoint keys of a hub in one Redis Cluster hash slot', () => {
    const store = new RedisCheckpointStore(redisA, { keyPrefix: prefix });
    const scope = { fullyQualifiedNamespace: NS, eventHubName: 'Insights-Logs-SignInLogs', consumerGroup: GROUP };
    const tag = (k: string) => /\{([^}]+)\}/.exec(k)![1];
    expect(tag(store.key('ownership', scope))).toBe(tag(store.key('checkpoint', scope)));
    expect(tag(store.key('ownership', scope))).toBe(`${NS}/insights-logs-signinlogs/$default`);
  });
});

/**
 * `RedisCheckpointStore`: an @azure/event-hubs CheckpointStore on Redis (ioredis), so several `entrawatch bridge`
 * processes balance the partitions of a hub between them and resume where the last one stopped.
 *
 * Layout, per (namespace, hub, consumer group), lower-cased like the blob checkpoint store does, inside one
 * hash tag so both keys live in one Redis Cluster slot:
 *   <prefix>:{<namespace>/<hub>/<group>}:ownership   hash partitionId -> "<etag>\n<lastModifiedMs>\n<ownerId>"
 *   <prefix>:{<namespace>/<hub>/<group>}:checkpoint  hash partitionId -> {"sequenceNumber":n,"offset":"..."}
 *
 * Claims are atomic and optimistic (lua/claim-ownership-1.lua): a claim must carry the etag it last saw (or none
 * for a partition never owned); a stale etag loses and is left out of the result, which is how the SDK's load
 * balancer learns another processor won. Ownership records are kept (like blobs): the SDK treats an ownership
 * whose lastModifiedTimeInMs is older than its partitionOwnershipExpirationIntervalInMs (60 s by default) as
 * expired and claims it with the etag it listed. Times come from the Redis server clock unless `now` is given.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Checkpoint, CheckpointStore, PartitionOwnership } from '@azure/event-hubs';
import type { Cluster, Redis } from 'ioredis';

const CLAIM_OWNERSHIP_LUA = readFileSync(new URL('./lua/claim-ownership-1.lua', import.meta.url), 'utf8');
const CLAIM_COMMAND = 'entrawatchClaimOwnership';

type ClaimCommand = {
  [CLAIM_COMMAND](key: string, ...args: string[]): Promise<string[]>;
};

export interface RedisCheckpointStoreOptions {
  /** key prefix (default `entrawatch:eventhubs`) */
  keyPrefix?: string;
  /** clock for ownership times (ms); default: the Redis server clock, shared by every bridge process */
  now?: () => number;
}

interface HubScope {
  fullyQualifiedNamespace: string;
  eventHubName: string;
  consumerGroup: string;
}

export class RedisCheckpointStore implements CheckpointStore {
  private readonly keyPrefix: string;
  private readonly now: (() => number) | undefined;

  /** `redis` stays owned by the caller (close it yourself). */
  constructor(
    private readonly redis: Redis | Cluster,
    options: RedisCheckpointStoreOptions = {},
  ) {
    this.keyPrefix = options.keyPrefix ?? 'entrawatch:eventhubs';
    this.now = options.now;
    redis.defineCommand(CLAIM_COMMAND, { numberOfKeys: 1, lua: CLAIM_OWNERSHIP_LUA });
  }

  /** The Redis key of one kind of record for a (namespace, hub, consumer group); exposed for tests and tooling. */
  key(kind: 'ownership' | 'checkpoint', scope: HubScope): string {
    const tag = [scope.fullyQualifiedNamespace, scope.eventHubName, scope.consumerGroup].map((s) => s.toLowerCase()).join('/');
    return `${this.keyPrefix}:{${tag}}:${kind}`;
  }

  async listOwnership(fullyQualifiedNamespace: string, eventHubName: string, consumerGroup: string): Promise<PartitionOwnership[]> {
    const scope = { fullyQualifiedNamespace, eventHubName, consumerGroup };
    const all = await this.redis.hgetall(this.key('ownership', scope));
    const out: PartitionOwnership[] = [];
    for (const [partitionId, value] of Object.entries(all)) {
      const first = value.indexOf('\n');
      const second = value.indexOf('\n', first + 1);
      if (first < 0 || second < 0) continue; // not ours: ignore rather than break the load balancer
      out.push({
        ...scope,
        partitionId,
        etag: value.slice(0, first),
        lastModifiedTimeInMs: Number(value.slice(first + 1, second)),
        ownerId: value.slice(second + 1),
      });
    }
    return out.sort((a, b) => Number(a.partitionId) - Number(b.partitionId) || a.partitionId.localeCompare(b.partitionId));
  }

  async claimOwnership(partitionOwnership: PartitionOwnership[]): Promise<PartitionOwnership[]> {
    // one atomic script call per (namespace, hub, group): all its claims live in one hash
    const byKey = new Map<string, PartitionOwnership[]>();
    for (const o of partitionOwnership) {
      const k = this.key('ownership', o);
      const list = byKey.get(k) ?? [];
      list.push(o);
      byKey.set(k, list);
    }
    const claimed: PartitionOwnership[] = [];
    for (const [key, requests] of byKey) {
      const args: string[] = [this.now ? String(Math.trunc(this.now())) : ''];
      for (const r of requests) args.push(r.partitionId, r.ownerId, r.etag ?? '', randomUUID());
      const result = await (this.redis as unknown as ClaimCommand)[CLAIM_COMMAND](key, ...args);
      const won = new Map<string, { etag: string; time: number }>();
      for (let i = 0; i < result.length; i += 3) won.set(result[i], { etag: result[i + 1], time: Number(result[i + 2]) });
      for (const r of requests) {
        const w = won.get(r.partitionId);
        if (w) claimed.push({ ...r, etag: w.etag, lastModifiedTimeInMs: w.time });
      }
    }
    return claimed;
  }

  async listCheckpoints(fullyQualifiedNamespace: string, eventHubName: string, consumerGroup: string): Promise<Checkpoint[]> {
    const scope = { fullyQualifiedNamespace, eventHubName, consumerGroup };
    const all = await this.redis.hgetall(this.key('checkpoint', scope));
    const out: Checkpoint[] = [];
    for (const [partitionId, value] of Object.entries(all)) {
      const parsed = JSON.parse(value) as { sequenceNumber: number; offset: string };
      out.push({ ...scope, partitionId, sequenceNumber: parsed.sequenceNumber, offset: String(parsed.offset) });
    }
    return out.sort((a, b) => Number(a.partitionId) - Number(b.partitionId) || a.partitionId.localeCompare(b.partitionId));
  }

  async updateCheckpoint(checkpoint: Checkpoint): Promise<void> {
    if (typeof checkpoint.sequenceNumber !== 'number' || checkpoint.offset === undefined || checkpoint.offset === null) {
      throw new TypeError('updateCheckpoint needs a checkpoint with sequenceNumber and offset');
    }
    const value = JSON.stringify({ sequenceNumber: checkpoint.sequenceNumber, offset: String(checkpoint.offset) });
    await this.redis.hset(this.key('checkpoint', checkpoint), checkpoint.partitionId, value);
  }
}

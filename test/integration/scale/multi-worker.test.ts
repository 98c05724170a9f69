/**
 * Scale-out across worker PROCESSES (DESIGN decision 11), on real Kafka + Redis + the HEC test receiver: three
 * `entrawatch worker` child processes in one consumer group on a 6-partition topic, sharing correlation state in
 * Redis, with a threshold correlation (>= 6 invalid passwords per user within 10m, test/integration/scale/rules/).
 * Each attacking user's failures are produced to all 6 partitions, so every worker sees only part of a burst.
 *
 * What is asserted, per phase (the rule of "fires exactly once"): for every attacking user, the receiver holds
 * detections (sourcetype entrawatch:detection, this rule) with exactly ONE distinct detection id; several copies of
 * that id are allowed, because delivery is at-least-once and the id is the deterministic key Splunk dedups on
 * (rule, user, suppression bucket); a second id for the same user would be a second alert and fails. Every copy
 * carries evidence.count = 6 and evidence.eventIds = exactly that user's planted failures (an event counted twice,
 * or counted from a redelivered batch, would change one of them). Users with 5 failures never fire. Every record id
 * reaches the receiver, and the group's committed offsets reach the log end only after all of that was delivered.
 *
 * Phase 2 kills one worker with SIGKILL while the stream is being produced (and HEC acks are slow, so it dies with
 * uncommitted work): the two survivors must take all six partitions (read from the group's assignment), commit
 * the killed worker's partitions past where it stopped, lose nothing, and count nothing twice.
 */
import { writeFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerCommandConfig } from '../../../src/cli/worker.js';
import { startHecReceiver, type HecReceiver, type StoredHecEvent } from '../../support/hec-receiver/index.js';
import { committedOffsets, createTopic, deleteTopics, endOffsets, produceMessages, waitFor, type TestMessage } from '../../support/kafka.js';
import { testRedisUrl, uniqueName } from '../../support/services.js';
import { spawnWorker, type WorkerChild } from '../worker/child.js';
import { detectionsOf, recordIdOf, TOKEN, workerConfig, writeConfigFile } from '../worker/harness.js';
import { coversAll, describeGroupAssignment } from './group.js';
import { buildScaleWorkload, FAILURES_TO_FIRE, type ScaleWorkload } from './workload.js';

const PARTITIONS = 6;
const WORKERS = 3;
const RULES_DIR = new URL('./rules', import.meta.url).pathname;
const RULE = 'scale_test_six_invalid_passwords';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('scale-out: worker processes in one consumer group share partitions and Redis state', () => {
  const topic = uniqueName('scale');
  const groupId = uniqueName('g-scale');
  const queuePrefix = `${topic}-bull`;
  const clientIds = Array.from({ length: WORKERS }, (_, i) => `w${i}-${groupId}`);
  const workers: WorkerChild[] = [];
  /** partition -> record ids of each message, in offset order (both phases) */
  const idsByOffset = new Map<number, string[][]>();
  let receiver: HecReceiver;

  const received = (): StoredHecEvent[] => receiver.events();
  const receivedIds = (): Set<string> => new Set(received().map(recordIdOf).filter((x): x is string => x !== undefined));
  const dumpLogs = (label: string): string => {
    const path = `/tmp/${topic}.${label}.log`;
    writeFileSync(path, workers.map((w, i) => `--- worker ${i} (${clientIds[i]}) ---\n${w.stderr()}`).join('\n'));
    return path;
  };
  const produceTracked = async (messages: TestMessage[]) => {
    await produceMessages(topic, messages);
    for (const m of messages) {
      const records = (JSON.parse(String(m.value)) as { records: Array<{ properties: { id: string } }> }).records;
      const list = idsByOffset.get(m.partition!) ?? [];
      list.push(records.map((r) => r.properties.id));
      idsByOffset.set(m.partition!, list);
    }
  };
  /** every id of the workload received, and the group committed the log end of every partition */
  const settled = async (w: ScaleWorkload): Promise<boolean> => {
    const seen = receivedIds();
    if (!w.allIds.every((id) => seen.has(id))) return false;
    const [end, committed] = [await endOffsets(topic), await committedOffsets(groupId, topic)];
    return [...end].every(([p, o]) => committed.get(p) === o);
  };

  /** the assertions of "fires exactly once", "never below the threshold", "no event counted twice" for one workload */
  const checkDetections = (w: ScaleWorkload, tag: string) => {
    const userOf = (d: { user?: string }) => d.user?.split('@')[0] ?? '';
    const mine = detectionsOf(received()).filter((d) => d.ruleName === RULE && userOf(d).endsWith(tag));
    const byUser = new Map<string, typeof mine>();
    for (const d of mine) byUser.set(userOf(d), [...(byUser.get(userOf(d)) ?? []), d]);
    const attackers = new Set(w.attackers);
    expect([...byUser.keys()].filter((u) => !attackers.has(u)), 'users that fired without reaching the threshold').toEqual([]);
    const silent = w.attackers.filter((u) => !byUser.has(u));
    expect(silent, 'attacking users whose detection never reached HEC').toEqual([]);
    for (const user of w.attackers) {
      const copies = byUser.get(user)!;
      expect(new Set(copies.map((d) => d.id)).size, `${user}: distinct detection ids`).toBe(1);
      const planted = [...w.failureIds.get(user)!].sort();
      expect(planted).toHaveLength(FAILURES_TO_FIRE);
      for (const d of copies) {
        expect(d.count, `${user}: evidence.count`).toBe(FAILURES_TO_FIRE);
        expect([...d.eventIds].sort(), `${user}: evidence.eventIds`).toEqual(planted);
      }
    }
  };

  beforeAll(async () => {
    receiver = await startHecReceiver({ tokens: [{ token: TOKEN, useAck: true }] });
    await createTopic(topic, PARTITIONS);
    const base = workerConfig({ topic, groupId, hecUrl: receiver.url, redisPrefix: topic });
    clientIds.forEach((clientId, i) => {
      const config: WorkerCommandConfig = {
        ...base,
        kafka: { ...base.kafka, clientId },
        rules: { ...base.rules, paths: [RULES_DIR] },
        // its own BullMQ queues: another test's (or cluster's) workers on this Redis never take its jobs
        jobs: { ...base.jobs, queuePrefix },
      };
      workers.push(spawnWorker(writeConfigFile(config, `${topic}-w${i}`)));
    });
    // all three joined and share the six partitions before anything is produced
    const joined = await waitFor(async () => {
      const a = await describeGroupAssignment(groupId, topic);
      return coversAll(a, clientIds, PARTITIONS) && a.members.every((m) => m.partitions.length === PARTITIONS / WORKERS);
    }, 60_000, 250);
    expect(joined, `workers did not join: ${dumpLogs('join')}`).toBe(true);
  });

  afterAll(async () => {
    for (const w of workers) if (w.process.exitCode === null && w.process.signalCode === null) w.process.kill('SIGTERM');
    await Promise.race([Promise.all(workers.map((w) => w.exited)), sleep(20_000)]);
    for (const w of workers) if (w.process.exitCode === null && w.process.signalCode === null) w.process.kill('SIGKILL');
    await receiver?.close();
    await deleteTopics([topic, `${topic}.dlq`]);
    const redis = new Redis(testRedisUrl());
    for (const pattern of [`${topic}:*`, `${queuePrefix}:*`]) {
      for await (const keys of redis.scanStream({ match: pattern, count: 500 }) as AsyncIterable<string[]>) {
        if (keys.length > 0) await redis.unlink(...keys);
      }
    }
    await redis.quit();
  });

  it('fires each attacking user exactly once although its failures are spread over all 6 partitions', async () => {
    const tag = `${topic}-a`;
    const w = buildScaleWorkload({ tag, partitions: PARTITIONS, records: 6_000, perMessage: 10, straddle: 8, inHop: 8, quiet: 10, seed: 1 });
    for (const u of [...w.attackers, ...w.quiet]) expect(w.failurePartitions.get(u)!.size).toBe(u.startsWith('quiet') ? 5 : PARTITIONS);
    await produceTracked(w.messages);
    const done = await waitFor(() => settled(w), 90_000, 250);
    expect(done, `not every record delivered and committed: ${dumpLogs('phase1')}`).toBe(true);
    checkDetections(w, tag);
    // all three workers are still in the group with their two partitions each (nobody crashed)
    expect(coversAll(await describeGroupAssignment(groupId, topic), clientIds, PARTITIONS)).toBe(true);
  });

  it('kill -9 of one worker mid-stream: the others take its partitions, nothing is lost, nothing counted twice', async () => {
    const tag = `${topic}-b`;
    const w = buildScaleWorkload({ tag, partitions: PARTITIONS, records: 9_000, perMessage: 10, straddle: 8, inHop: 8, quiet: 10, seed: 2 });
    const victim = 0;
    const survivors = clientIds.filter((_, i) => i !== victim);
    const before = await describeGroupAssignment(groupId, topic);
    const victimPartitions = before.members.find((m) => m.clientId === clientIds[victim])!.partitions;
    expect(victimPartitions.length).toBeGreaterThan(0);
    const startCommitted = await committedOffsets(groupId, topic);
    // slow acks keep deliveries in flight, so the kill catches uncommitted work
    await receiver.faults.set({ ackDelayMs: 300 });

    let markKilled!: () => void;
    const killed = new Promise<void>((r) => (markKilled = r));
    const half = Math.floor(w.messages.length / 2);
    const chunks = (list: TestMessage[], n: number) => Array.from({ length: n }, (_, i) => list.slice(Math.floor((i * list.length) / n), Math.floor(((i + 1) * list.length) / n)));
    const producing = (async () => {
      for (const chunk of chunks(w.messages.slice(0, half), 4)) {
        await produceTracked(chunk);
        await sleep(150);
      }
      await killed; // the second half is produced after the kill: the stream goes on while a worker is gone
      for (const chunk of chunks(w.messages.slice(half), 4)) {
        await produceTracked(chunk);
        await sleep(150);
      }
    })();

    const firstHalfIds = w.messages.slice(0, half).reduce((n, m) => n + (JSON.parse(String(m.value)) as { records: unknown[] }).records.length, 0);
    const midStream = await waitFor(async () => {
      const seen = receivedIds();
      if (w.allIds.filter((id) => seen.has(id)).length < firstHalfIds * 0.3) return false;
      const c = await committedOffsets(groupId, topic);
      return victimPartitions.some((p) => (c.get(p) ?? -1) > (startCommitted.get(p) ?? -1));
    }, 60_000, 100);
    expect(midStream, `the victim never committed phase-2 work: ${dumpLogs('phase2-start')}`).toBe(true);
    workers[victim]!.process.kill('SIGKILL');
    expect((await workers[victim]!.exited).signal).toBe('SIGKILL');
    const committedAtKill = await committedOffsets(groupId, topic);
    markKilled();

    // the group notices the dead member (session timeout) and the survivors hold all six partitions
    const takeover = await waitFor(async () => coversAll(await describeGroupAssignment(groupId, topic), survivors, PARTITIONS), 60_000, 250);
    expect(takeover, `survivors did not take the partitions: ${dumpLogs('takeover')}`).toBe(true);
    await producing;

    const done = await waitFor(() => settled(w), 90_000, 250);
    expect(done, `not every record delivered and committed after the kill: ${dumpLogs('phase2')}`).toBe(true);
    await receiver.faults.clear();

    // the killed worker's partitions were committed past where it died, by the survivors
    const committed = await committedOffsets(groupId, topic);
    for (const p of victimPartitions) expect(committed.get(p)!).toBeGreaterThan(committedAtKill.get(p) ?? -1);
    const after = await describeGroupAssignment(groupId, topic);
    const victimMember = after.members.find((m) => m.clientId === clientIds[victim]);
    expect(victimMember).toBeUndefined();

    // nothing counted twice, nobody below the threshold fired, every attacker fired once
    checkDetections(w, tag);

    // duplicates of raw records only from what was uncommitted when the worker died (redelivered after rebalance)
    let redeliverable = 0;
    for (const [p, messages] of idsByOffset) {
      messages.forEach((ids, offset) => {
        if (offset >= (committedAtKill.get(p) ?? 0)) redeliverable += ids.length;
      });
    }
    const mine = new Set(w.allIds);
    const rawIds = received().map(recordIdOf).filter((x): x is string => x !== undefined && mine.has(x));
    expect(rawIds.length - new Set(rawIds).size).toBeLessThanOrEqual(redeliverable);
    // the two survivors are still running
    for (const [i, child] of workers.entries()) if (i !== victim) expect(child.process.exitCode, child.stderr()).toBeNull();
  });
});

/**
 * The worker as a child process (as `entrawatch worker` runs it), on real Kafka + Redis + the HEC receiver:
 * - kill -9 mid-stream, then a restart in the same group: nothing lost, duplicates only from the uncommitted tail,
 *   and the Redis-backed threshold correlation counts no event twice (users one event short never fire, users at
 *   the threshold fire with exactly THRESHOLD events); SIGTERM then drains, commits the log end and exits 0.
 * - a bad HEC token (given through ENTRAWATCH_HEC_TOKEN) stops the worker with exit code 3 and the HEC message,
 *   and nothing is committed.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHecReceiver, type HecReceiver } from '../../support/hec-receiver/index.js';
import { committedOffsets, createTopic, deleteTopics, endOffsets, produceMessages, waitFor } from '../../support/kafka.js';
import { uniqueName } from '../../support/services.js';
import { spawnWorker, type WorkerChild } from './child.js';
import {
  buildWorkload,
  detectionsOf,
  messageIdsByPartition,
  recordIdOf,
  THRESHOLD,
  TOKEN,
  workerConfig,
  writeConfigFile,
} from './harness.js';

const PARTITIONS = 3;

describe('worker child process', () => {
  const topic = uniqueName('w-proc');
  const badTopic = uniqueName('w-badtoken');
  let receiver: HecReceiver;
  const children: WorkerChild[] = [];

  beforeAll(async () => {
    receiver = await startHecReceiver({ tokens: [{ token: TOKEN, useAck: true }] });
    await createTopic(topic, PARTITIONS);
    await createTopic(badTopic, 1);
  });

  afterAll(async () => {
    for (const c of children) if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill('SIGKILL');
    await receiver?.close();
    await deleteTopics([topic, `${topic}.dlq`, badTopic]);
  });

  it('survives kill -9: nothing lost, duplicates bounded, no event counted twice; SIGTERM drains and exits 0', async () => {
    const groupId = uniqueName('g-proc');
    const w = buildWorkload({ messages: 300, perMessage: 20, partitions: PARTITIONS, firingUsers: 10, quietUsers: 20, tag: topic });
    const byPartition = messageIdsByPartition(w, PARTITIONS);
    await produceMessages(topic, w.messages);
    // slow acks keep deliveries in flight, so the kill hits uncommitted work
    await receiver.faults.set({ ackDelayMs: 400 });
    const configPath = writeConfigFile(
      workerConfig({ topic, groupId, hecUrl: receiver.url, redisPrefix: topic, overrides: { pipeline: { maxInFlightBytes: 512 * 1024 } } }),
      topic,
    );
    const uniqueReceived = () => new Set(receiver.events().map(recordIdOf).filter((x): x is string => x !== undefined));

    const first = spawnWorker(configPath);
    children.push(first);
    // kill once part of the stream is committed and more is in flight
    const midway = await waitFor(async () => {
      if (uniqueReceived().size < w.allIds.length * 0.3) return false;
      const c = await committedOffsets(groupId, topic);
      return [...c.values()].filter((o) => o > 0).length === PARTITIONS;
    }, 60_000, 50);
    expect(midway, first.stderr()).toBe(true);
    first.process.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    // what the restart may deliver again: records of messages at or after the committed offsets
    const committedAtKill = await committedOffsets(groupId, topic);
    let redeliverable = 0;
    for (const [p, offsets] of byPartition) {
      for (const [o, ids] of offsets) if (o >= (committedAtKill.get(p) ?? 0)) redeliverable += ids.length;
    }
    expect(redeliverable).toBeLessThan(w.allIds.length);

    const second = spawnWorker(configPath);
    children.push(second);
    const all = await waitFor(() => {
      const seen = uniqueReceived();
      return w.allIds.every((id) => seen.has(id));
    }, 60_000, 250);
    if (!all) writeFileSync(`/tmp/${topic}.second.log`, second.stderr());
    expect(all, `second worker log: /tmp/${topic}.second.log`).toBe(true);

    const end = await endOffsets(topic);
    const settled = await waitFor(async () => {
      const c = await committedOffsets(groupId, topic);
      return [...end].every(([p, o]) => c.get(p) === o);
    }, 15_000);
    expect(settled).toBe(true);
    second.process.kill('SIGTERM');
    const exit = await second.exited;
    expect(exit.code, second.stderr()).toBe(0);

    // duplicates only from the uncommitted tail
    const rawIds = receiver.events().map(recordIdOf).filter((x): x is string => x !== undefined);
    const duplicates = rawIds.length - new Set(rawIds).size;
    expect(duplicates).toBeLessThanOrEqual(redeliverable);

    // the correlation counted every event once
    const detections = detectionsOf(receiver.events()).filter((d) => d.ruleName === 'worker_test_ten_invalid_passwords');
    const userOf = (d: { user?: string }) => d.user?.split('@')[0] ?? '';
    const quiet = new Set(w.quietUsers);
    expect(detections.filter((d) => quiet.has(userOf(d)))).toEqual([]);
    // each detection holds exactly the user's planted events (hopping windows may give a user more than one
    // window, each with its own deterministic id, but a redelivery never adds a count or a new id)
    for (const d of detections) {
      expect(d.count).toBe(THRESHOLD);
      expect([...d.eventIds].sort()).toEqual([...(w.failureIds.get(userOf(d)) ?? [])].sort());
    }
    expect([...new Set(detections.map(userOf))].sort()).toEqual([...w.firingUsers].sort());
    const windowsPerUser = new Map<string, Set<string>>();
    for (const d of detections) windowsPerUser.set(userOf(d), (windowsPerUser.get(userOf(d)) ?? new Set()).add(d.id));
    const counts = [...windowsPerUser.values()].map((s) => s.size);
    expect(Math.max(...counts)).toBeLessThanOrEqual(2);
    await receiver.faults.clear();
  });

  it('a bad HEC token stops the worker with exit code 3 and the HEC message, committing nothing', async () => {
    const groupId = uniqueName('g-badtoken');
    const w = buildWorkload({ messages: 10, perMessage: 5, partitions: 1, tag: badTopic });
    await produceMessages(badTopic, w.messages);
    const wrongToken = '99999999-8888-7777-6666-555555555555';
    const configPath = writeConfigFile(workerConfig({ topic: badTopic, groupId, hecUrl: receiver.url, redisPrefix: badTopic }), badTopic);
    const child = spawnWorker(configPath, { ENTRAWATCH_HEC_TOKEN: wrongToken });
    children.push(child);
    const exit = await child.exited;
    expect(exit.code, child.stderr()).toBe(3);
    expect(child.stderr()).toMatch(/entrawatch: hec: .*(Invalid token|token)/i);
    expect(child.stderr()).not.toContain(wrongToken);
    const committed = await committedOffsets(groupId, badTopic);
    expect([...committed.values()].every((o) => o < 0)).toBe(true);
  });

  it('an unreachable HEC at start stops the worker with exit code 1 and a one-line reason, no stack trace', async () => {
    const groupId = uniqueName('g-nohec');
    // a port nothing listens on: the receiver's, after it closed
    const gone = await startHecReceiver({ tokens: [{ token: TOKEN, useAck: true }] });
    await gone.close();
    const configPath = writeConfigFile(workerConfig({ topic: badTopic, groupId, hecUrl: gone.url, redisPrefix: `${badTopic}-nohec` }), `${badTopic}-nohec`);
    const child = spawnWorker(configPath, { ENTRAWATCH_HEC_TOKEN: TOKEN });
    children.push(child);
    const exit = await child.exited;
    expect(exit.code, child.stderr()).toBe(1);
    expect(child.stderr()).toMatch(new RegExp(`entrawatch: hec is unavailable: .*${gone.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*check sinks\\.hec\\.urls`));
    expect(child.stderr()).not.toMatch(/unexpected error|\n\s+at /);
    expect(child.stderr()).not.toContain(TOKEN);
  });
});

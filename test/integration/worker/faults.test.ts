/**
 * At-least-once under HEC faults (real Kafka + Redis + HEC receiver, worker in-process): 20% of requests answered
 * 503, an outage where the port refuses connections, and a channel whose acks never turn true (its events are
 * lost by the receiver, so only a resend after the ack timeout saves them). Throughout the run, no committed offset
 * may pass a record the receiver does not hold; at the end every record is there and the log end is committed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '../../../src/cli/worker.js';
import type { WorkerHandle } from '../../../src/pipeline/worker.js';
import { startHecReceiver, type HecReceiver } from '../../support/hec-receiver/index.js';
import { committedOffsets, createTopic, deleteTopics, endOffsets, produceMessages, waitFor } from '../../support/kafka.js';
import { uniqueName } from '../../support/services.js';
import { buildWorkload, committedButMissing, messageIdsByPartition, recordIdOf, TOKEN, workerConfig } from './harness.js';

const PARTITIONS = 3;

describe('worker under HEC faults', () => {
  const topic = uniqueName('w-faults');
  const groupId = uniqueName('g-faults');
  let receiver: HecReceiver;
  let worker: WorkerHandle | undefined;

  beforeAll(async () => {
    receiver = await startHecReceiver({ tokens: [{ token: TOKEN, useAck: true }], seed: 7 });
    await createTopic(topic, PARTITIONS);
  });

  afterAll(async () => {
    await worker?.stop();
    await receiver?.close();
    await deleteTopics([topic, `${topic}.dlq`]);
  });

  it('loses nothing and never commits past an unacknowledged record', async () => {
    const w = buildWorkload({ messages: 240, perMessage: 20, partitions: PARTITIONS, tag: topic });
    const byPartition = messageIdsByPartition(w, PARTITIONS);
    const receivedNow = () => new Set(receiver.events().map(recordIdOf).filter((x): x is string => x !== undefined));
    const violations: string[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        violations.push(...(await committedButMissing(groupId, topic, byPartition, receivedNow)));
        await new Promise((r) => setTimeout(r, 150));
      }
    })();

    await receiver.faults.set({ busyRate: 0.2, ackStuckNextChannels: 1 });
    await produceMessages(topic, w.messages.slice(0, 120));
    worker = await startWorker(
      workerConfig({ topic, groupId, hecUrl: receiver.url, redisPrefix: topic, overrides: { pipeline: { maxInFlightBytes: 256 * 1024 } } }),
    );
    await worker.ready;
    await waitFor(() => receivedNow().size >= 800, 30_000);

    // outage: the port refuses connections while more records arrive
    await receiver.faults.set({ outage: 'refuse' });
    await produceMessages(topic, w.messages.slice(120));
    await new Promise((r) => setTimeout(r, 3_000));
    const committedDuringOutage = await committedOffsets(groupId, topic);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await committedOffsets(groupId, topic)).toEqual(committedDuringOutage);
    await receiver.faults.set({ outage: null });

    const all = await waitFor(() => {
      const seen = receivedNow();
      return w.allIds.every((id) => seen.has(id));
    }, 90_000, 250);
    const seen = receivedNow();
    expect(w.allIds.filter((id) => !seen.has(id))).toEqual([]);
    expect(all).toBe(true);

    const end = await endOffsets(topic);
    expect(
      await waitFor(async () => {
        const c = await committedOffsets(groupId, topic);
        return [...end].every(([p, o]) => c.get(p) === o);
      }, 15_000),
    ).toBe(true);
    sampling = false;
    await sampler;
    expect(violations).toEqual([]);

    // the faults did happen
    const requests = receiver.requests();
    expect(requests.some((r) => r.status === 503)).toBe(true);
    const storedChannels = new Set(receiver.events().map((e) => e.channel));
    const stuckChannels = requests.filter((r) => r.status === 200 && (r.events ?? 0) > 0 && !storedChannels.has(r.channel));
    expect(stuckChannels.length).toBeGreaterThan(0); // accepted, never acknowledged, so resent elsewhere
    const metrics = await worker.metrics.render();
    expect(metrics).toMatch(/entrawatch_in_flight_bytes 0/);

    expect((await worker.stop()).code).toBe(0);
    worker = undefined;
  });
});

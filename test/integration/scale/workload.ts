/**
 * The workload of the multi-worker scale test: Entra sign-in records (the worker harness's `signInRecord`) whose
 * invalid-password events of each "attacking" user are spread over EVERY partition of the topic, so no single
 * worker ever sees a user's whole burst and only the shared Redis state can fire the correlation.
 *
 * Event times are placed against the rule's hopping windows (10m windows every 5m, suppression per 10m bucket of
 * window end), relative to 10:05:00 (the harness's base time):
 * - `straddle` users: 3 failures in [10:03, 10:05) and 3 in [10:05, 10:07): exactly one window, [10:00, 10:10),
 *   holds all 6, so exactly one window fires.
 * - `inHop` users: 6 failures in [10:05, 10:10): two windows ([10:00, 10:10) and [10:05, 10:15)) reach 6 in the same
 *   store call; both end in the same suppression bucket, so the store lets one through and the detection id (rule,
 *   user, bucket) is the same whichever it is.
 * - `quiet` users: 5 failures in [10:05, 10:10): one short in both windows, so they fire only if an event is counted
 *   twice.
 * - filler: successful sign-ins of other users over [10:00, 10:12).
 * Every event time lies within 12 minutes, so with the default allowed lateness (10m) no window closes early.
 */
import type { TestMessage } from '../../support/kafka.js';
import { signInRecord } from '../worker/harness.js';

export const FAILURES_TO_FIRE = 6;

export interface ScaleWorkload {
  /** messages in produce order, each with an explicit partition and a key = its first record id */
  messages: TestMessage[];
  /** every record id */
  allIds: string[];
  /** attacking users (straddle + inHop): each must fire exactly once */
  attackers: string[];
  quiet: string[];
  /** user -> ids of its invalid-password records */
  failureIds: Map<string, string[]>;
  /** user -> partitions its failures were produced to */
  failurePartitions: Map<string, Set<number>>;
}

/** a small seeded PRNG (mulberry32): the same workload every run */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

interface Planned {
  user: string;
  failed: boolean;
  /** seconds relative to 10:05:00 */
  second: number;
}

export function buildScaleWorkload(opts: {
  tag: string;
  partitions: number;
  records: number;
  perMessage: number;
  straddle: number;
  inHop: number;
  quiet: number;
  seed: number;
}): ScaleWorkload {
  const random = prng(opts.seed);
  const byPartition: Planned[][] = Array.from({ length: opts.partitions }, () => []);
  const failurePartitions = new Map<string, Set<number>>();
  let rotation = 0;
  const plant = (user: string, seconds: number[]) => {
    // failure k of a user goes to partition (k + rotation) % partitions: a user's 6 failures cover all 6 partitions
    seconds.forEach((second, k) => {
      const p = (k + rotation) % opts.partitions;
      byPartition[p]!.push({ user, failed: true, second });
      failurePartitions.set(user, (failurePartitions.get(user) ?? new Set()).add(p));
    });
    rotation++;
  };
  const within = (from: number, to: number) => from + Math.floor(random() * (to - from));
  const straddle = Array.from({ length: opts.straddle }, (_, i) => `straddle${i}-${opts.tag}`);
  const inHop = Array.from({ length: opts.inHop }, (_, i) => `inhop${i}-${opts.tag}`);
  const quiet = Array.from({ length: opts.quiet }, (_, i) => `quiet${i}-${opts.tag}`);
  for (const u of straddle) plant(u, [...[0, 1, 2].map(() => within(-120, 0)), ...[0, 1, 2].map(() => within(0, 120))]);
  for (const u of inHop) plant(u, Array.from({ length: FAILURES_TO_FIRE }, () => within(0, 300)));
  for (const u of quiet) plant(u, Array.from({ length: FAILURES_TO_FIRE - 1 }, () => within(0, 300)));
  const planted = byPartition.reduce((n, list) => n + list.length, 0);
  for (let n = 0; n < opts.records - planted; n++) {
    byPartition[n % opts.partitions]!.push({ user: `ok${n % 97}-${opts.tag}`, failed: false, second: within(-300, 420) });
  }
  // spread the planted failures through each partition's stream
  for (const list of byPartition) shuffle(list, random);

  const perPartitionMessages: TestMessage[][] = byPartition.map(() => []);
  const allIds: string[] = [];
  const failureIds = new Map<string, string[]>();
  let seq = 0;
  byPartition.forEach((list, p) => {
    for (let i = 0; i < list.length; i += opts.perMessage) {
      const records = list.slice(i, i + opts.perMessage).map((r) => {
        const id = `${opts.tag}-${seq++}`;
        allIds.push(id);
        if (r.failed) failureIds.set(r.user, [...(failureIds.get(r.user) ?? []), id]);
        return signInRecord(id, r.user, r.failed, r.second);
      });
      const key = (records[0]!.properties as { id: string }).id;
      perPartitionMessages[p]!.push({ key, value: JSON.stringify({ records }), partition: p });
    }
  });
  // produce order: round-robin over the partitions, so every partition's stream advances together
  const messages: TestMessage[] = [];
  for (let i = 0; perPartitionMessages.some((l) => i < l.length); i++) {
    for (const list of perPartitionMessages) if (i < list.length) messages.push(list[i]!);
  }
  return { messages, allIds, attackers: [...straddle, ...inHop], quiet, failureIds, failurePartitions };
}

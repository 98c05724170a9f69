/**
 * Shared pieces of the worker integration tests: Entra sign-in records with known ids, Event Hubs envelopes
 * spread over partitions, the worker config for a test, and checks of what the HEC receiver holds against what was
 * produced and committed.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkerCommandConfig } from '../../../src/cli/worker.js';
import { workerCommandConfigSchema } from '../../../src/cli/worker.js';
import type { StoredHecEvent } from '../../support/hec-receiver/index.js';
import { committedOffsets, type TestMessage } from '../../support/kafka.js';
import { testKafkaBrokers, testRedisUrl } from '../../support/services.js';

export const RULES_DIR = fileURLToPath(new URL('./rules', import.meta.url));
export const THRESHOLD = 10;
export const TOKEN = '11111111-2222-3333-4444-555555555555';
/** event times of the test records: inside one hour, so one correlation window */
const BASE_TIME = Date.parse('2025-03-04T10:05:00.000Z');

export function signInRecord(id: string, user: string, failed: boolean, second: number): Record<string, unknown> {
  const time = new Date(BASE_TIME + second * 1000).toISOString();
  return {
    time,
    resourceId: '/tenants/9f2c1c3e-0000-4000-8000-000000000001/providers/Microsoft.aadiam',
    operationName: 'Sign-in activity',
    operationVersion: '1.0',
    category: 'SignInLogs',
    tenantId: '9f2c1c3e-0000-4000-8000-000000000001',
    resultType: failed ? '50126' : '0',
    resultSignature: 'None',
    resultDescription: failed ? 'Invalid username or password or Invalid on-premise username or password.' : '',
    durationMs: 0,
    callerIpAddress: '203.0.113.7',
    correlationId: randomUUID(),
    identity: user,
    Level: 4,
    location: 'NL',
    properties: {
      id,
      createdDateTime: time,
      userDisplayName: user,
      userPrincipalName: `${user}@contoso.onmicrosoft.com`,
      userId: randomUUID(),
      appId: '5f7d1c4e-0000-4000-8000-0000000000aa',
      appDisplayName: 'Contoso Web',
      ipAddress: '203.0.113.7',
      clientAppUsed: 'Browser',
      isInteractive: true,
      status: failed
        ? { errorCode: 50126, failureReason: 'Invalid username or password or Invalid on-premise username or password.' }
        : { errorCode: 0 },
      location: { city: 'Amsterdam', countryOrRegion: 'NL' },
    },
  };
}

export interface Workload {
  messages: TestMessage[];
  /** partition:offset-within-produce-order -> record ids, filled after produce via offsetsOf() */
  idsByMessage: string[][];
  allIds: string[];
  /** users with exactly THRESHOLD failures (one detection each) and with THRESHOLD-1 (none) */
  firingUsers: string[];
  quietUsers: string[];
  /** user -> ids of its invalid-password records */
  failureIds: Map<string, string[]>;
}

/**
 * `messages` Event Hubs envelopes of `perMessage` records each, round-robin over `partitions`. The first users get
 * THRESHOLD failures (must fire once), the next ones THRESHOLD-1 (must never fire, unless an event is counted twice).
 */
export function buildWorkload(opts: {
  messages: number;
  perMessage: number;
  partitions: number;
  firingUsers?: number;
  quietUsers?: number;
  tag: string;
}): Workload {
  const firing = Array.from({ length: opts.firingUsers ?? 0 }, (_, i) => `fire${i}-${opts.tag}`);
  const quiet = Array.from({ length: opts.quietUsers ?? 0 }, (_, i) => `quiet${i}-${opts.tag}`);
  const failures: string[] = [];
  for (const u of firing) for (let k = 0; k < THRESHOLD; k++) failures.push(u);
  for (const u of quiet) for (let k = 0; k < THRESHOLD - 1; k++) failures.push(u);
  const total = opts.messages * opts.perMessage;
  if (failures.length > total) throw new Error('workload too small for its users');
  // spread the failures evenly over the stream
  const failAt = new Map<number, string>();
  failures.forEach((u, i) => failAt.set(Math.floor((i * total) / failures.length), u));
  const messages: TestMessage[] = [];
  const idsByMessage: string[][] = [];
  const allIds: string[] = [];
  const failureIds = new Map<string, string[]>();
  let n = 0;
  for (let m = 0; m < opts.messages; m++) {
    const records: Record<string, unknown>[] = [];
    const ids: string[] = [];
    for (let r = 0; r < opts.perMessage; r++, n++) {
      const id = `${opts.tag}-${n}`;
      const failedUser = failAt.get(n);
      records.push(signInRecord(id, failedUser ?? `ok${n % 50}-${opts.tag}`, failedUser !== undefined, n % 1800));
      ids.push(id);
      allIds.push(id);
      if (failedUser !== undefined) failureIds.set(failedUser, [...(failureIds.get(failedUser) ?? []), id]);
    }
    messages.push({ key: null, value: JSON.stringify({ records }), partition: m % opts.partitions });
    idsByMessage.push(ids);
  }
  return { messages, idsByMessage, allIds, firingUsers: firing, quietUsers: quiet, failureIds };
}

/** record id of a raw event stored by the HEC receiver (undefined for detections) */
export function recordIdOf(e: StoredHecEvent): string | undefined {
  if (e.sourcetype !== 'azure:monitor:aad') return undefined;
  const props = (e.event as { properties?: { id?: string } }).properties;
  return props?.id;
}

export interface DetectionSeen {
  id: string;
  ruleName?: string;
  user?: string;
  count?: number;
  eventIds: string[];
}

export function detectionsOf(events: StoredHecEvent[]): DetectionSeen[] {
  return events
    .filter((e) => e.sourcetype === 'entrawatch:detection')
    .map((e) => {
      const d = e.event as {
        id: string;
        rule: { name?: string };
        group: Record<string, string>;
        cim: { user?: string };
        evidence: { count?: number; eventIds: string[] };
      };
      return { id: d.id, ruleName: d.rule.name, user: d.group.user ?? d.cim.user, count: d.evidence.count, eventIds: d.evidence.eventIds };
    });
}

/** the worker config of one test */
export function workerConfig(opts: {
  topic: string;
  groupId: string;
  hecUrl: string;
  token?: string;
  redisPrefix: string;
  overrides?: { pipeline?: Record<string, unknown>; hec?: Record<string, unknown> };
}): WorkerCommandConfig {
  return workerCommandConfigSchema.parse({
    kafka: {
      brokers: testKafkaBrokers(),
      clientId: `w-${opts.groupId}`,
      groupId: opts.groupId,
      topics: [opts.topic],
      fromBeginning: true,
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 1_000,
      maxWaitTimeMs: 200,
    },
    pipeline: { commitIntervalMs: 300, drainTimeoutMs: 15_000, retryBackoffMs: 100, retryBackoffMaxMs: 1_000, ...opts.overrides?.pipeline },
    state: { backend: 'redis', redis: { url: testRedisUrl(), keyPrefix: `${opts.redisPrefix}:` } },
    metrics: { port: 0, host: '127.0.0.1' },
    rules: { paths: [RULES_DIR] },
    log: { level: process.env.ENTRAWATCH_TEST_LOG_LEVEL ?? 'warn' },
    sinks: {
      hec: {
        urls: [opts.hecUrl],
        token: opts.token ?? TOKEN,
        useAck: true,
        ackPollIntervalMs: 200,
        ackTimeoutMs: 3_000,
        requestTimeoutMs: 5_000,
        closeTimeoutMs: 5_000,
        batch: { maxBytes: 1_000_000, maxEvents: 500, flushIntervalMs: 20 },
        retry: { baseMs: 50, maxMs: 500, jitter: true, urlBackoffMs: 200 },
        ...opts.overrides?.hec,
      },
    },
  });
}

/** writes the config as YAML-compatible JSON for a child process */
export function writeConfigFile(config: WorkerCommandConfig, name: string): string {
  const path = join(tmpdir(), `${name}.yaml`);
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

/**
 * Checks the at-least-once promise at one instant: every record of every message below the group's committed
 * offset is in the receiver. `messageIds` maps partition -> offset -> record ids. Returns the violations
 * as partition:offset:id.
 */
export async function committedButMissing(
  groupId: string,
  topic: string,
  messageIds: Map<number, Map<number, string[]>>,
  receivedNow: () => ReadonlySet<string>,
): Promise<string[]> {
  const committed = await committedOffsets(groupId, topic);
  // read what HEC holds only after the commit was read: a commit at time t must cover records received before t
  const received = receivedNow();
  const missing: string[] = [];
  for (const [partition, offsets] of messageIds) {
    const c = committed.get(partition) ?? -1;
    for (const [offset, ids] of offsets) {
      if (offset < c) for (const id of ids) if (!received.has(id)) missing.push(`${partition}:${offset}:${id}`);
    }
  }
  return missing;
}

/** partition -> offset -> record ids, for a fresh topic produced in order with explicit round-robin partitions */
export function messageIdsByPartition(w: Workload, partitions: number): Map<number, Map<number, string[]>> {
  const out = new Map<number, Map<number, string[]>>();
  w.idsByMessage.forEach((ids, m) => {
    const p = m % partitions;
    let byOffset = out.get(p);
    if (!byOffset) out.set(p, (byOffset = new Map()));
    byOffset.set(Math.floor(m / partitions), ids);
  });
  return out;
}

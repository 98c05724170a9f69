/**
 * A worker that dies after a correlation fired but before the detection reached the sinks commits nothing; the
 * batch is read again. The events are already counted (idempotent), so the engine must emit the same detection
 * again (same deterministic id) instead of losing it. Earlier batches and later events change nothing.
 */
import { describe, expect, it } from 'vitest';
import { RuleEngine } from '../../../../src/rules/engine.js';
import { parseRuleText } from '../../../../src/rules/load.js';
import { MemoryCounterStore } from '../../../../src/state/index.js';
import { decodeMessage } from '../../../../src/decode/index.js';
import { normalizeRecord } from '../../../../src/normalize/index.js';
import type { EntraEvent } from '../../../../src/normalize/event.js';

const RULES = `title: Invalid password
name: invalid_password
id: 3c5d2f8e-0000-4000-8000-0000000000a1
logsource: {product: azure, service: signinlogs}
detection:
  sel: {ResultType: 50126}
  condition: sel
level: low
---
title: Password guessing on one account
name: password_guessing
id: 3c5d2f8e-0000-4000-8000-0000000000a2
correlation:
  type: event_count
  rules: [invalid_password]
  group-by: [user]
  timespan: 10m
  condition: {gte: 5}
level: medium
`;

function event(i: number): EntraEvent {
  const time = new Date(Date.UTC(2026, 10, 2, 10, 0, i)).toISOString();
  const record = { time, category: 'SignInLogs', operationName: 'Sign-in activity', resultType: '50126', properties: { id: `r${i}`, createdDateTime: time, userPrincipalName: 'alice@contosob2c.onmicrosoft.com', status: { errorCode: 50126 } } };
  const [d] = decodeMessage(JSON.stringify(record), { source: 'test' });
  if (!d?.ok) throw new Error('fixture did not decode');
  return normalizeRecord(d);
}

describe('redelivery of the batch that fired a correlation', () => {
  it('emits the same detection again, and nothing for earlier batches or later events', async () => {
    const loaded = parseRuleText(RULES, 'inline.yml', { placeholders: {} });
    const engine = await RuleEngine.create({ rules: loaded.rules, correlations: loaded.correlations, store: new MemoryCounterStore() });
    const early = [0, 1, 2].map(event);
    const firing = [3, 4].map(event);
    expect(await engine.processBatch(early)).toEqual([]);
    const fired = (await engine.processBatch(firing)).filter((d) => d.rule.name === 'password_guessing');
    expect(fired.length).toBeGreaterThan(0);
    // the worker died before delivering: the uncommitted batch is read again
    const replayed = (await engine.processBatch([4, 3].map(event))).filter((d) => d.rule.name === 'password_guessing');
    expect(replayed.map((d) => d.id).sort()).toEqual(fired.map((d) => d.id).sort());
    expect(replayed[0]!.evidence.count).toBe(5);
    expect(await engine.processBatch(early)).toEqual([]);
    expect((await engine.processBatch([5, 6].map(event))).filter((d) => d.rule.name === 'password_guessing')).toEqual([]);
  });
});

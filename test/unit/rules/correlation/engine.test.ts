import { describe, expect, it } from 'vitest';
import { audit, DAY, engineFor, FAILED_SIGNIN, HOUR, MIN, runAll, shuffle, signin, SUCCESS_SIGNIN, T0 } from './helpers.js';
import type { EntraEvent } from '../../../../src/normalize/event.js';

const MANY_FAILED = `${FAILED_SIGNIN}
---
title: Many failed sign-ins for one account
id: 00000000-0000-4000-8000-0000000000c1
name: many_failed_signins
level: high
tags: [attack.t1110]
seed_rows: [CA-1]
correlation:
  type: event_count
  rules: [failed_signin]
  group-by: [user]
  timespan: 10m
  condition: {gte: 10}
`;

function failures(n: number, from: number, step: number, user = 'alice@contoso.com', prefix = 'f'): EntraEvent[] {
  return Array.from({ length: n }, (_, i) => signin(`${prefix}${i}`, from + i * step, { user, errorCode: 50126 }));
}

describe('RuleEngine: Sigma correlations', () => {
  it('event_count: one detection per window, with CIM Alerts fields and evidence; the base rule stays silent', async () => {
    const engine = await engineFor(MANY_FAILED);
    const out = await runAll(engine, failures(12, T0 + MIN, 10_000), 1);
    // the two overlapping windows holding the burst end in different 10m suppression buckets: two detections
    expect(out).toHaveLength(2);
    const d = out.find((x) => x.window!.start === T0)!;
    expect(d.rule).toMatchObject({ id: '00000000-0000-4000-8000-0000000000c1', name: 'many_failed_signins', level: 'high', seedRows: ['CA-1'] });
    expect(d.cim).toMatchObject({ signature: 'Many failed sign-ins for one account', signature_id: '00000000-0000-4000-8000-0000000000c1', severity: 'high', type: 'alert', user: 'alice@contoso.com', src: '203.0.113.7', app: 'Contoso Shop', mitre_technique_id: ['T1110'] });
    expect(d.group).toEqual({ user: 'alice@contoso.com' });
    expect(d.window).toEqual({ start: T0, end: T0 + 10 * MIN });
    expect(d.time).toBe(T0 + 10 * MIN);
    expect(d.evidence.count).toBe(10);
    expect(d.evidence.eventIds).toHaveLength(10);
    expect(d.id).toMatch(/^[0-9a-f]{64}$/);
    // deterministic: a second engine gives the same ids
    const again = await runAll(await engineFor(MANY_FAILED), failures(12, T0 + MIN, 10_000), 1);
    expect(again.map((x) => x.id).sort()).toEqual(out.map((x) => x.id).sort());
  });

  it('does not fire below the threshold, and counts each group separately', async () => {
    const engine = await engineFor(MANY_FAILED);
    const events = [...failures(9, T0, 1000, 'a@x'), ...failures(9, T0, 1000, 'b@x', 'g')];
    expect(await runAll(engine, events)).toEqual([]);
  });

  it('catches a burst split across a fixed-window boundary', async () => {
    const engine = await engineFor(MANY_FAILED);
    const events = [...failures(5, T0 + 10 * MIN - 50_000, 10_000), ...failures(5, T0 + 10 * MIN + 1000, 10_000, undefined, 'g')];
    const out = await runAll(engine, events);
    expect(out.map((d) => d.window)).toEqual([{ start: T0 + 5 * MIN, end: T0 + 15 * MIN }]);
  });

  it('gives the same detections for shuffled input (out of order within the allowed lateness)', async () => {
    const events: EntraEvent[] = [];
    for (let u = 0; u < 5; u++) events.push(...failures(8 + u * 3, T0 + u * 7 * MIN, 37_000, `u${u}@x`, `u${u}-`));
    events.sort((a, b) => a.time - b.time);
    const ordered = await runAll(await engineFor(MANY_FAILED), events);
    const shuffled = await runAll(await engineFor(MANY_FAILED, { allowedLatenessMs: DAY }), shuffle(events));
    expect(ordered.length).toBeGreaterThan(2);
    expect(shuffled.map((d) => d.id).sort()).toEqual(ordered.map((d) => d.id).sort());
  });

  it('value_count: distinct users per source address (password spray)', async () => {
    const yaml = `${FAILED_SIGNIN}
---
title: Password spray
id: 00000000-0000-4000-8000-0000000000c2
correlation:
  type: value_count
  rules: [failed_signin]
  group-by: [src_ip]
  timespan: 20m
  condition: {field: user, gte: 5}
`;
    const events = Array.from({ length: 12 }, (_, i) => signin(`s${i}`, T0 + i * 30_000, { user: `user${i % 6}@x`, ip: '198.51.100.9', errorCode: 50126 }));
    const out = await runAll(await engineFor(yaml), events, 1);
    expect(out.length).toBeGreaterThanOrEqual(1);
    expect(out[0]!.group).toEqual({ src_ip: '198.51.100.9' });
    expect(out[0]!.cim.src).toBe('198.51.100.9');
    expect(out[0]!.evidence.values).toMatchObject({ value_count: 5, field: 'user' });
    expect((out[0]!.evidence.values!['distinct_values'] as string[]).length).toBe(5);
  });

  it('chaining + temporal_ordered: many failures followed by a success (the Sigma spec example)', async () => {
    const yaml = `${MANY_FAILED}
---
${SUCCESS_SIGNIN}
---
title: Brute force followed by a successful sign-in
id: 00000000-0000-4000-8000-0000000000c3
level: critical
correlation:
  type: temporal_ordered
  rules: [many_failed_signins, successful_signin]
  group-by: [user]
  timespan: 1h
`;
    const engine = await engineFor(yaml);
    const events = [...failures(10, T0 + MIN, 5000), signin('ok', T0 + 3 * MIN)];
    const out = await runAll(engine, events);
    expect(out.length).toBeGreaterThanOrEqual(1);
    expect(new Set(out.map((d) => d.rule.title))).toEqual(new Set(['Brute force followed by a successful sign-in']));
    expect(out[0]!.cim.severity).toBe('critical');
    expect(out[0]!.group).toEqual({ user: 'alice@contoso.com' });
    // success before the failures: nothing
    const before = await runAll(await engineFor(yaml), [signin('ok', T0), ...failures(10, T0 + MIN, 5000)]);
    expect(before).toEqual([]);
  });

  it('temporal with aliases joins different fields of different rules', async () => {
    const yaml = `${FAILED_SIGNIN}
---
${SUCCESS_SIGNIN}
---
title: Same address fails for one user and succeeds for another
id: 00000000-0000-4000-8000-0000000000c4
correlation:
  type: temporal
  rules: [failed_signin, successful_signin]
  group-by: [addr]
  timespan: 10m
  aliases:
    addr: {failed_signin: src_ip, successful_signin: ipAddress}
`;
    const out = await runAll(await engineFor(yaml), [signin('ok', T0 + 1000, { user: 'b@x' }), signin('bad', T0 + 2000, { errorCode: 50126 })]);
    expect(out.length).toBeGreaterThanOrEqual(1);
    for (const d of out) expect(d.group).toEqual({ addr: '203.0.113.7' });
  });

  it('close-time conditions (a range) fire when the watermark passes the window', async () => {
    const yaml = `${FAILED_SIGNIN}
---
title: A few failures
id: 00000000-0000-4000-8000-0000000000c5
correlation:
  type: event_count
  rules: [failed_signin]
  group-by: [user]
  timespan: 10m
  condition: {gt: 2, lte: 4}
`;
    const engine = await engineFor(yaml, { allowedLatenessMs: MIN });
    expect(await engine.processBatch(failures(3, T0 + MIN, 1000))).toEqual([]);
    expect(await engine.processBatch([signin('later', T0 + 30 * MIN)])).toEqual([]);
    // the watermark before a batch closes windows: the next batch closes both windows of the three failures
    const out = await engine.processBatch([signin('even-later', T0 + 31 * MIN)]);
    expect(out.map((d) => d.window!.start).sort()).toEqual([T0 - 5 * MIN, T0]);
    expect(out[0]!.evidence.count).toBe(3);
    // too many: not in range
    expect(await runAll(await engineFor(yaml), failures(6, T0 + MIN, 1000))).toEqual([]);
  });

  it('suppresses repeated detections per rule and group for the suppress period', async () => {
    const yaml = `${MANY_FAILED}\nsuppress: 1h\n`;
    const events = [...failures(12, T0 + MIN, 10_000), ...failures(12, T0 + 30 * MIN, 10_000, undefined, 'g'), ...failures(12, T0 + 3 * HOUR, 10_000, undefined, 'h')];
    const out = await runAll(await engineFor(yaml), events);
    // one per group per 1h bucket of event time, whichever window of the bucket fired first
    expect(out.map((d) => d.window!.start)).toEqual([T0, T0 + 3 * HOUR]);
  });

  it('counts nothing twice when a batch is redelivered', async () => {
    const engine = await engineFor(MANY_FAILED);
    const batch = failures(6, T0 + MIN, 1000);
    await engine.processBatch(batch);
    await engine.processBatch(batch);
    expect(await engine.processBatch(batch)).toEqual([]);
    expect(await engine.processBatch(failures(4, T0 + 2 * MIN, 1000, undefined, 'new'))).toHaveLength(2);
  });

  it('value_sum / value_avg / value_percentile over a numeric field', async () => {
    const mk = (type: string, cond: string) => `${FAILED_SIGNIN}
---
title: ${type}
id: 00000000-0000-4000-8000-0000000000d${type.length}
correlation:
  type: ${type}
  rules: [failed_signin]
  group-by: [user]
  timespan: 1h
  condition: {field: ResultType, ${cond}}
`;
    const events = failures(4, T0 + MIN, 1000);
    expect(await runAll(await engineFor(mk('value_sum', 'gte: 200000')), events)).toHaveLength(2);
    expect(await runAll(await engineFor(mk('value_avg', 'eq: 50126')), events)).toHaveLength(2);
    expect(await runAll(await engineFor(mk('value_percentile', 'percentile: 50, lt: 50000')), events)).toHaveLength(0);
  });
});

describe('RuleEngine: single-event rules', () => {
  it('emits one detection per matching event with old -> new changes, and an index gives the same result as none', async () => {
    const yaml = `
title: Application credentials changed
id: 00000000-0000-4000-8000-0000000000a1
level: medium
seed_rows: [AP-1]
tags: [attack.t1098.001]
logsource: {product: azure, service: auditlogs}
detection:
  selection:
    properties.activityDisplayName: Update application – Certificates and secrets management
  condition: selection
`;
    const events = [
      audit('a1', T0, 'Update application – Certificates and secrets management', [['KeyDescription', [], ['[KeyIdentifier=1]']]]),
      audit('a2', T0 + 1, 'Add user', []),
      signin('s1', T0 + 2),
    ];
    for (const useIndex of [true, false]) {
      const out = await runAll(await engineFor(yaml, { useIndex }), events);
      expect(out).toHaveLength(1);
      expect(out[0]!.evidence).toEqual({ eventIds: ['a1'], changes: [{ target: 'Contoso Shop', property: 'KeyDescription', old: [], new: ['[KeyIdentifier=1]'] }] });
      expect(out[0]!.cim).toMatchObject({ severity: 'medium', user: 'admin@contoso.com', mitre_technique_id: ['T1098.001'] });
      expect(out[0]!.group).toEqual({});
      expect(out[0]!.time).toBe(T0);
    }
  });

  it('runs enrichers before matching and lets detection hooks drop or change detections', async () => {
    const yaml = `
title: Tagged sign-in
id: 00000000-0000-4000-8000-0000000000a2
logsource: {product: azure, service: signinlogs}
detection:
  selection:
    properties.risky_hour: 'yes'
  condition: selection
`;
    const engine = await engineFor(yaml, {
      enrichers: [(e) => void ((e.fields['properties'] as Record<string, unknown>)['risky_hour'] = new Date(e.time).getUTCHours() < 6 ? 'yes' : 'no')],
      detectionHooks: [async (d, events) => (events[0]!.id === 'drop' ? null : { ...d, cim: { ...d.cim, description: 'checked' } })],
    });
    const out = await engine.processBatch([signin('keep', T0 + HOUR), signin('drop', T0 + 2 * HOUR), signin('day', T0 + 12 * HOUR)]);
    expect(out.map((d) => [d.evidence.eventIds[0], d.cim.description])).toEqual([['keep', 'checked']]);
  });

  it('generate: a base rule referenced by a correlation emits too when the correlation says generate: true', async () => {
    const yaml = MANY_FAILED.replace('timespan: 10m', 'timespan: 10m\n  generate: true');
    const out = await runAll(await engineFor(yaml), failures(3, T0, 1000));
    expect(out.map((d) => d.rule.name)).toEqual(['failed_signin', 'failed_signin', 'failed_signin']);
  });
});

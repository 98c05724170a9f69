import { describe, expect, it } from 'vitest';
import type { Detection } from '../../../../src/rules/types.js';
import { DAY, engineFor, FAILED_SIGNIN, HOUR, MIN, signin, SUCCESS_SIGNIN, T0 } from './helpers.js';

describe('extension: rate_change', () => {
  const yaml = `${FAILED_SIGNIN}
---
title: Failed sign-ins rise
id: 00000000-0000-4000-8000-0000000000e1
correlation: {type: rate_change, rules: [failed_signin], group-by: [], timespan: 1h, previous: 3, condition: {gte: 100}, min_count: 10}
`;
  it('fires on the scheduled close when a window is >= +X % over the mean of the previous ones', async () => {
    const engine = await engineFor(yaml, { allowedLatenessMs: 10 * MIN });
    const perHour = [5, 6, 5, 20, 8];
    for (let h = 0; h < perHour.length; h++) {
      const events = Array.from({ length: perHour[h]! }, (_, i) => signin(`h${h}-${i}`, T0 + h * HOUR + i * MIN, { errorCode: 50126 }));
      expect(await engine.processBatch(events)).toEqual([]);
    }
    const out = await engine.evaluateScheduled(T0 + 5 * HOUR + 10 * MIN);
    expect(out).toHaveLength(1);
    expect(out[0]!.window).toEqual({ start: T0 + 3 * HOUR, end: T0 + 4 * HOUR });
    expect(out[0]!.evidence.count).toBe(20);
    expect(out[0]!.evidence.values).toMatchObject({ change_percent: 275, previous_mean: 5.33 });
    expect(out[0]!.group).toEqual({});
    // nothing is closed twice
    expect(await engine.evaluateScheduled(T0 + 5 * HOUR + 10 * MIN)).toEqual([]);
  });
});

describe('extension: baseline', () => {
  const yaml = `${SUCCESS_SIGNIN}
---
title: Unusual sign-in volume for an app
id: 00000000-0000-4000-8000-0000000000e2
correlation: {type: baseline, rules: [successful_signin], group-by: [app], timespan: 1h, learning: 14d, sigma: 3, min_count: 10}
`;
  it('learns per app and hour of week, is silent while learning, then fires above mean + 3 sigma', async () => {
    const engine = await engineFor(yaml);
    const out: Detection[] = [];
    // four weeks of Monday 09h with 10-12 sign-ins, then 60 in week 5
    for (let w = 0; w < 5; w++) {
      const n = w === 4 ? 60 : 10 + (w % 3);
      const start = T0 + w * 7 * DAY + 9 * HOUR;
      const events = Array.from({ length: n }, (_, i) => signin(`w${w}-${i}`, start + i * 30_000, { app: 'Shop' }));
      out.push(...(await engine.processBatch(events)));
      out.push(...(await engine.evaluateScheduled(start + 2 * HOUR)));
    }
    expect(out).toHaveLength(1);
    expect(out[0]!.group).toEqual({ app: 'Shop' });
    expect(out[0]!.cim.app).toBe('Shop');
    expect(out[0]!.evidence.count).toBe(60);
    expect(out[0]!.evidence.values).toMatchObject({ hour_of_week: 'Mon 09h' });
  });
});

describe('extension: first_seen', () => {
  const yaml = `${SUCCESS_SIGNIN}
---
title: Sign-in from a new country
id: 00000000-0000-4000-8000-0000000000e3
correlation: {type: first_seen, rules: [successful_signin], group-by: [user], field: properties.location.countryOrRegion, lookback: 30d, learning: 7d}
---
title: Admin signs in at a new hour
id: 00000000-0000-4000-8000-0000000000e4
correlation: {type: first_seen, rules: [successful_signin], group-by: [user], field: '@hour_of_week', lookback: 30d, learning: 7d}
`;
  it('is silent while learning, then fires once per new value (country, hour of week)', async () => {
    const engine = await engineFor(yaml, { allowedLatenessMs: 0 });
    const out: Detection[] = [];
    for (let d = 0; d < 10; d++) out.push(...(await engine.processBatch([signin(`d${d}`, T0 + d * DAY + 9 * HOUR)])));
    expect(out.filter((x) => x.rule.title === 'Sign-in from a new country')).toEqual([]);
    // day 3 is Thursday 09h: new hour of week, but still learning; day 7 (Monday 09h again) known
    out.push(...(await engine.processBatch([signin('new-country', T0 + 10 * DAY + 9 * HOUR, { country: 'BR' })])));
    out.push(...(await engine.processBatch([signin('night', T0 + 10 * DAY + 3 * HOUR + 1)])));
    out.push(...(await engine.flush()));
    const byTitle = (t: string) => out.filter((x) => x.rule.title === t);
    expect(byTitle('Sign-in from a new country').map((x) => [x.evidence.eventIds, x.evidence.values?.['value']])).toEqual([[['new-country'], 'BR']]);
    expect(byTitle('Admin signs in at a new hour').map((x) => x.evidence.values?.['label'])).toEqual(['Thu 03h']);
  });
});

describe('correlation parsing and overrides', () => {
  const bad = (section: string) => `${FAILED_SIGNIN}
---
title: Bad
id: 00000000-0000-4000-8000-0000000000f1
correlation: ${section}
`;
  it.each([
    ['{type: event_cnt, rules: [failed_signin], timespan: 10m, condition: {gte: 1}}', /correlation.type must be one of/],
    ['{type: event_count, rules: [failed_signin], timespan: 10 minutes, condition: {gte: 1}}', /timespan "10 minutes" must be a whole number with unit/],
    ['{type: event_count, rules: [failed_signin], timespan: 10m}', /condition is required/],
    ['{type: event_count, rules: [failed_signin], timespan: 10m, condition: {gte: 1, lt: 5, neq: 3}}', /at most two bounds/],
    ['{type: event_count, rules: [failed_signin], timespan: 10m, condition: {about: 1}}', /condition.about is not a condition/],
    ['{type: value_count, rules: [failed_signin], timespan: 10m, condition: {gte: 1}}', /value_count needs condition.field/],
    ['{type: event_count, rules: [nope], timespan: 10m, condition: {gte: 1}}', /names "nope", which is not a loaded rule/],
    ['{type: temporal, rules: [failed_signin], group-by: [x], timespan: 10m, aliases: {x: {other: f}}}', /names rule "other" which is not in correlation.rules/],
    ['{type: baseline, rules: [failed_signin], timespan: 1h}', /correlation.learning is required/],
  ])('refuses %s with a RuleLoadError naming file, rule and line', async (section, message) => {
    const err = await engineFor(bad(section)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('RuleLoadError');
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toMatch(/^test\.yml:\d+ \(rule "Bad"\)/);
  });

  it('refuses correlations that refer to each other in a cycle', async () => {
    const yaml = `title: A\nid: a\nname: a\ncorrelation: {type: temporal, rules: [b], timespan: 1m}\n---\ntitle: B\nid: b\nname: b\ncorrelation: {type: temporal, rules: [a], timespan: 1m}\n`;
    await expect(engineFor(yaml)).rejects.toThrow(/cycle/);
  });

  it('applies rules.overrides: timespan and condition of a correlation, disabled rules', async () => {
    const yaml = `${FAILED_SIGNIN}
---
title: Many failures
id: 00000000-0000-4000-8000-0000000000f2
name: many
correlation: {type: event_count, rules: [failed_signin], group-by: [user], timespan: 10m, condition: {gte: 10}}
`;
    const events = Array.from({ length: 3 }, (_, i) => signin(`o${i}`, T0 + i * 1000, { errorCode: 50126 }));
    const tuned = await engineFor(yaml, { overrides: { many: { condition: { gte: 3 }, timespan: '1h', level: 'critical' } } });
    const out = await tuned.processBatch(events);
    expect(out.length).toBeGreaterThanOrEqual(1);
    expect(out[0]!.window!.end - out[0]!.window!.start).toBe(HOUR);
    expect(out[0]!.cim.severity).toBe('critical');
    const off = await engineFor(yaml, { overrides: { many: { disabled: true } } });
    expect(await off.processBatch(events)).toEqual([]);
    await expect(engineFor(yaml, { overrides: { failed_signin: { disabled: true } } })).rejects.toThrow(/disabled in rules.overrides/);
  });
});

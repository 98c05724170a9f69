/**
 * Test helpers for the rule engine: sign-in / audit events and rule sets from YAML text.
 */
import type { EntraEvent } from '../../../../src/normalize/event.js';
import { parseRuleText } from '../../../../src/rules/load.js';
import { RuleEngine, type RuleEngineOptions } from '../../../../src/rules/engine.js';
import { MemoryCounterStore } from '../../../../src/state/memory/memory-counter-store.js';

export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
/** Monday 2024-05-06 00:00 UTC */
export const T0 = Date.UTC(2024, 4, 6);

export interface SigninOptions {
  user?: string;
  ip?: string;
  errorCode?: number;
  country?: string;
  app?: string;
}

export function signin(id: string, time: number, o: SigninOptions = {}): EntraEvent {
  const user = o.user ?? 'alice@contoso.com';
  const ip = o.ip ?? '203.0.113.7';
  const errorCode = o.errorCode ?? 0;
  const app = o.app ?? 'Contoso Shop';
  return {
    id,
    time,
    kind: 'signin',
    category: 'SignInLogs',
    format: 'azure-monitor',
    raw: {},
    cim: { user, src: ip, src_ip: ip, app, action: errorCode === 0 ? 'success' : 'failure' },
    fields: {
      time: new Date(time).toISOString(),
      category: 'SignInLogs',
      operationName: 'Sign-in activity',
      resultType: String(errorCode),
      callerIpAddress: ip,
      properties: {
        id,
        userPrincipalName: user,
        ipAddress: ip,
        appDisplayName: app,
        status: { errorCode },
        location: { countryOrRegion: o.country ?? 'FR' },
      },
    },
  };
}

export function audit(id: string, time: number, activity: string, mods: Array<[string, unknown, unknown]>): EntraEvent {
  return {
    id,
    time,
    kind: 'audit',
    category: 'AuditLogs',
    format: 'azure-monitor',
    raw: {},
    cim: { user: 'admin@contoso.com', object: 'Contoso Shop', command: activity },
    fields: {
      time: new Date(time).toISOString(),
      category: 'AuditLogs',
      operationName: activity,
      properties: {
        id,
        activityDisplayName: activity,
        targetResources: [
          {
            displayName: 'Contoso Shop',
            modifiedProperties: mods.map(([displayName, o, n]) => ({
              displayName,
              oldValue: JSON.stringify(o),
              newValue: JSON.stringify(n),
              oldValueParsed: o,
              newValueParsed: n,
            })),
          },
        ],
      },
    },
  };
}

export const FAILED_SIGNIN = `
title: Failed sign-in
id: 00000000-0000-4000-8000-000000000001
name: failed_signin
level: low
tags: [attack.credential_access, attack.t1110.001]
logsource: {product: azure, service: signinlogs}
detection:
  selection:
    ResultType: [50126, 50053]
  condition: selection
`;

export const SUCCESS_SIGNIN = `
title: Successful sign-in
id: 00000000-0000-4000-8000-000000000002
name: successful_signin
logsource: {product: azure, service: signinlogs}
detection:
  selection:
    ResultType: 0
  condition: selection
`;

export async function engineFor(yaml: string, opts: Partial<RuleEngineOptions> = {}): Promise<RuleEngine> {
  const loaded = parseRuleText(yaml, 'test.yml', { placeholders: {} });
  return RuleEngine.create({ rules: loaded.rules, correlations: loaded.correlations, store: new MemoryCounterStore(), ...opts });
}

/** Deterministic shuffle (mulberry32). */
export function shuffle<T>(items: T[], seed = 42): T[] {
  let a = seed;
  const rand = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export async function runAll(engine: RuleEngine, events: EntraEvent[], batchSize = 50) {
  const out = [];
  for (let i = 0; i < events.length; i += batchSize) out.push(...(await engine.processBatch(events.slice(i, i + batchSize))));
  out.push(...(await engine.flush()));
  return out;
}

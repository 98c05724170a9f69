/**
 * The RuleIndex never misses a rule: matching through the index gives exactly the same detections as matching
 * every rule, for the fixture rules over a varied event set and for generated rules over generated events.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { EntraEvent, EventKind } from '../../../../src/normalize/event.js';
import { RuleIndex } from '../../../../src/rules/index/rule-index.js';
import { loadRuleFiles, parseRuleText } from '../../../../src/rules/load.js';
import type { CompiledRule } from '../../../../src/rules/sigma/compile.js';
import { auditEvent, riskEvent, signinEvent } from './events.js';
import { ruleFrom } from './helpers.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/sigma/', import.meta.url));

function keysOf(r: CompiledRule): string[] | null {
  const dim = (field: string) =>
    field.includes('errorCode') ? 'code' : field.includes('activityDisplayName') || field.includes('operationName') ? 'activity' : field;
  return r.indexKeys ? r.indexKeys.map((k) => `${dim(k.field)}${k.match === 'exact' ? '=' : '~'}${k.value}`).sort() : null;
}

function assertSameAsFullScan(rules: CompiledRule[], events: EntraEvent[]): number {
  const index = new RuleIndex(rules);
  let detections = 0;
  for (const e of events) {
    const all = rules.filter((r) => r.match(e)).map((r) => r.meta.id);
    const candidates = index.candidates(e);
    const viaIndex = candidates.filter((r) => r.match(e)).map((r) => r.meta.id);
    expect(viaIndex, `event ${JSON.stringify(e.fields).slice(0, 300)}`).toEqual(all);
    // load order, no duplicates
    const positions = candidates.map((c) => rules.indexOf(c));
    expect(positions).toEqual([...new Set(positions)].sort((a, b) => a - b));
    detections += all.length;
  }
  return detections;
}

describe('index keys (what a rule provably requires)', () => {
  it('exact activity / error-code values are keys', () => {
    expect(keysOf(ruleFrom('sel:\n  ResultType: 50053\ncondition: sel'))).toEqual(['code=50053']);
    expect(keysOf(ruleFrom('sel:\n  properties.message: [Add user, Delete User]\ncondition: sel'))).toEqual(['activity=add user', 'activity=delete user']);
    expect(keysOf(ruleFrom('sel:\n  operationName|cased: Add user\ncondition: sel'))).toEqual(['activity=add user']);
    expect(keysOf(ruleFrom('sel:\n  ResultType: 50053\n  Status|contains: locked\ncondition: sel'))).toEqual(['code=50053']);
  });

  it('unprovable requirements go to the fallback (null)', () => {
    expect(keysOf(ruleFrom('sel:\n  userAgent|cased|contains: Python\ncondition: sel'))).toBeNull();
    expect(keysOf(ruleFrom("sel:\n  userAgent|re: 'py|curl'\ncondition: sel"))).toBeNull();
    expect(keysOf(ruleFrom('sel:\n  properties.message: Add*\ncondition: sel'))).toBeNull();
    expect(keysOf(ruleFrom('sel:\n  ResultType: 50053\ncondition: not sel'))).toBeNull();
    expect(keysOf(ruleFrom('sel:\n  ResultType: [50053, null]\ncondition: sel'))).toBeNull();
    expect(keysOf(ruleFrom('sel:\n  ResultType|neq: 0\ncondition: sel'))).toBeNull();
    expect(keysOf(ruleFrom("a:\n  ResultType: 50053\nb:\n  userAgent|re: '[a-z]+'\ncondition: a or b"))).toBeNull();
    expect(keysOf(ruleFrom('sel:\n  - ResultType: 50053\n  - userAgent|windash|contains: curl\ncondition: sel'))).toBeNull();
  });

  it('cidr networks are keys: an address is parsed once per event and tested against every network', () => {
    const rule = ruleFrom("sel:\n  IPAddress|cidr: ['10.0.0.0/8', '2001:db8::/32']\nfilter:\n  Location: FR\ncondition: sel and not filter", { logsource: '{product: azure, service: signinlogs}' });
    expect(keysOf(rule)).toEqual(['first(fields.properties.ipAddress, fields.callerIpAddress)~10.0.0.0/8', 'first(fields.properties.ipAddress, fields.callerIpAddress)~2001:db8::/32']);
    const index = new RuleIndex([rule]);
    expect(index.stats().fallback.signin).toBe(0);
    for (const [ip, candidate] of [['10.1.2.3', true], ['::ffff:a01:203', true], ['2001:db8::7', true], ['11.1.2.3', false], ['2001:db9::1', false], ['n/a', false]] as const) {
      expect(index.candidates(signinEvent({ ip })).length, ip).toBe(candidate ? 1 : 0);
    }
  });

  it('other exact-valued fields serve when there is no activity or error code', () => {
    expect(keysOf(ruleFrom("sel:\n  riskEventType: anonymizedIPAddress\ncondition: sel"))).toEqual(['fields.properties.riskEventType=anonymizedipaddress']);
    expect(keysOf(ruleFrom('a:\n  ResultType: 50053\nb:\n  Username: Bob\ncondition: a or b'))).toEqual(['code=50053', 'fields.properties.userPrincipalName=bob']);
    // a required substring, shared lowercase per event
    expect(keysOf(ruleFrom('sel:\n  userAgent|contains: [Python, curl/]\ncondition: sel'))).toEqual(['fields.properties.userAgent~curl/', 'fields.properties.userAgent~python']);
    expect(keysOf(ruleFrom('sel:\n  ResultType|startswith: 500\ncondition: sel'))).toEqual(['code~500']);
    // a few-valued field (ClientApp) is a poorer key than a substring; an exact value of another field is better
    expect(keysOf(ruleFrom('sel:\n  userAgent|contains: curl\n  ClientApp: IMAP\ncondition: sel'))).toEqual(['fields.properties.userAgent~curl']);
    expect(keysOf(ruleFrom('sel:\n  userAgent|contains: curl\n  AppDisplayName: Shop\ncondition: sel'))).toEqual(['fields.properties.appDisplayName=shop']);
    expect(keysOf(ruleFrom("sel:\n  Username|re|i: '^Admin[0-9]+@'\ncondition: sel"))).toEqual(['fields.properties.userPrincipalName~admin']);
    // the activity / error code is preferred over a field with fewer values
    expect(keysOf(ruleFrom('sel:\n  ResultType: [1, 2]\n  ClientApp: IMAP\ncondition: sel'))).toEqual(['code=1', 'code=2']);
    // but not the success code 0, which most sign-ins carry: any other exact value is the better key
    expect(keysOf(ruleFrom('sel:\n  ResultType: 0\n  AuthenticationProtocol: ropc\ncondition: sel'))).toEqual(['fields.properties.authenticationProtocol=ropc']);
    expect(keysOf(ruleFrom('sel:\n  ResultType: 0\ncondition: sel'))).toEqual(['code=0']);
  });

  it('|expand keys on the configured values', () => {
    const placeholders = { admins: ['Root@Contoso.com', 'ops@contoso.com'], apps: ['Shop*'], none: [] };
    const rule = (text: string) => ruleFrom(text, { placeholders });
    expect(keysOf(rule("sel:\n  ResultType: 0\n  Username|expand: '%admins%'\ncondition: sel"))).toEqual([
      'fields.properties.userPrincipalName=ops@contoso.com',
      'fields.properties.userPrincipalName=root@contoso.com',
    ]);
    expect(keysOf(rule("sel:\n  userAgent|expand|contains: 'x-%admins%'\ncondition: sel"))).toEqual([
      'fields.properties.userAgent~x-ops@contoso.com',
      'fields.properties.userAgent~x-root@contoso.com',
    ]);
    // a wildcard in a configured value, or an empty list: no provable key
    expect(keysOf(rule("sel:\n  AppDisplayName|expand: '%apps%'\ncondition: sel"))).toBeNull();
    expect(keysOf(rule("sel:\n  AppDisplayName|expand: '%none%'\ncondition: sel"))).toBeNull();
  });

  it('and picks one side, or / list of maps / 1 of take the union', () => {
    expect(keysOf(ruleFrom('a:\n  ResultType: 50053\nb:\n  Username: bob\ncondition: a and not b'))).toEqual(['code=50053']);
    expect(keysOf(ruleFrom('a:\n  ResultType: 50053\nb:\n  properties.message: Add user\ncondition: a or b'))).toEqual(['activity=add user', 'code=50053']);
    expect(keysOf(ruleFrom('sel:\n  - ResultType: 50053\n  - ResultType: 50057\ncondition: sel'))).toEqual(['code=50053', 'code=50057']);
    expect(keysOf(ruleFrom('sel_a:\n  ResultType: 1\nsel_b:\n  ResultType: 2\ncondition: 1 of sel_*'))).toEqual(['code=1', 'code=2']);
    expect(keysOf(ruleFrom('sel_a:\n  ResultType: 1\nsel_b:\n  userAgent: x\ncondition: all of sel_*'))).toEqual(['code=1']);
  });

  it('kinds come from the logsource; another product is never a candidate', () => {
    expect(ruleFrom('sel:\n  a: 1\ncondition: sel', { logsource: '{product: azure, service: signinlogs}' }).kinds).toEqual(['signin']);
    expect(ruleFrom('sel:\n  a: 1\ncondition: sel', { logsource: '{product: azure, service: pim}' }).kinds).toEqual(['audit']);
    expect(ruleFrom('sel:\n  a: 1\ncondition: sel', { logsource: '{product: azure, service: riskdetection}' }).kinds).toEqual(['risk']);
    expect(ruleFrom('sel:\n  a: 1\ncondition: sel', { logsource: '{product: azure, service: activitylogs}' }).kinds).toEqual(['other']);
    expect(ruleFrom('sel:\n  a: 1\ncondition: sel', { logsource: '{product: azure}' }).kinds).toHaveLength(4);
    expect(ruleFrom('sel:\n  a: 1\ncondition: sel', { logsource: '{category: authentication}' }).kinds).toHaveLength(4);
    const win = ruleFrom('sel:\n  ResultType: 50053\ncondition: sel', { logsource: '{product: windows, service: security}' });
    expect(win.kinds).toEqual([]);
    expect(win.match(signinEvent({ errorCode: 50053 }))).toBe(false);
    expect(new RuleIndex([win]).candidates(signinEvent({ errorCode: 50053 }))).toEqual([]);
  });
});

describe('index dimensions', () => {
  it('a key on the error code shares the dimension of rules written ResultType (one read), and stays sound', () => {
    const byPath = ruleFrom('sel:\n  properties.status.errorCode: 50126\ncondition: sel', { logsource: '{product: azure, service: signinlogs}', title: 'by path' });
    const byColumn = ruleFrom('sel:\n  ResultType: 50053\ncondition: sel', { logsource: '{product: azure, service: signinlogs}', title: 'by column' });
    const index = new RuleIndex([byPath, byColumn]);
    expect(index.stats().dimensions.signin).toEqual(['first(fields.properties.status.errorCode, fields.resultType): 2 values, 0 substrings']);
    expect(index.candidates(signinEvent({ errorCode: 50126 }))).toEqual([byPath]);
    expect(index.candidates(signinEvent({ errorCode: 50053 }))).toEqual([byColumn]);
    // without an error code, ResultType reads resultType; the path rule cannot match and is no candidate
    const noCode = signinEvent({ errorCode: 50126 });
    delete ((noCode.fields.properties as Record<string, unknown>).status as Record<string, unknown>).errorCode;
    expect(byPath.match(noCode)).toBe(false);
    expect(index.candidates(noCode).filter((r) => r.match(noCode))).toEqual(byColumn.match(noCode) ? [byColumn] : []);
    // alone, the path rule keeps its own dimension
    expect(new RuleIndex([byPath]).stats().dimensions.signin).toEqual(['fields.properties.status.errorCode: 1 values, 0 substrings']);
  });
  it('a key on a field that Status also reads sits in the Status dimension (one read), and stays sound', () => {
    const signins = '{product: azure, service: signinlogs}';
    const status = ruleFrom("sel:\n  Status|contains: fraud\ncondition: sel", { logsource: signins, title: 'status' });
    const details = ruleFrom("sel:\n  properties.status.additionalDetails|contains: 'MFA denied'\ncondition: sel", { logsource: signins, title: 'details' });
    const index = new RuleIndex([status, details]);
    expect(index.stats().dimensions.signin).toHaveLength(1);
    expect(index.stats().dimensions.signin[0]).toMatch(/^all\(.*additionalDetails.*\): 0 values, 2 substrings$/);
    const denied = signinEvent({ errorCode: 500121, additionalDetails: 'MFA denied; user declined' });
    expect(index.candidates(denied).filter((r) => r.match(denied))).toEqual([details]);
    // 'MFA denied' in the failure reason: Status reads it too, so details is a candidate that does not match
    const elsewhere = signinEvent({ errorCode: 500121, failureReason: 'MFA denied' });
    expect(index.candidates(elsewhere)).toContain(details);
    expect(details.match(elsewhere)).toBe(false);
  });
});

describe('index lookups remembered per value', () => {
  it('stay exact when a field has more distinct values than are remembered', () => {
    const python = ruleFrom("sel:\n  userAgent|contains: 'python-requests'\ncondition: sel", { logsource: '{product: azure, service: signinlogs}', title: 'python' });
    const code = ruleFrom('sel:\n  ResultType: 50126\ncondition: sel', { logsource: '{product: azure, service: signinlogs}', title: 'code' });
    const index = new RuleIndex([python, code]);
    const agent = (n: number) => {
      const e = signinEvent({ errorCode: n % 3 === 0 ? 50126 : 0 });
      (e.fields.properties as Record<string, unknown>).userAgent = n % 7 === 0 ? `python-requests/2.${n}` : `Mozilla/5.0 build ${n}`;
      return e;
    };
    // 10,000 distinct agents (more than one dimension keeps), each value asked twice
    for (let n = 0; n < 10_000; n++) {
      for (let twice = 0; twice < 2; twice++) {
        const expected = [...(n % 7 === 0 ? [python] : []), ...(n % 3 === 0 ? [code] : [])];
        expect(index.candidates(agent(n))).toEqual(expected);
      }
    }
  });
});

function variedEvents(): EntraEvent[] {
  const events: EntraEvent[] = [];
  for (const code of [0, 50053, 50057, 50126, 53003, 500121, 50140]) {
    for (const req of ['singleFactorAuthentication', 'multiFactorAuthentication']) {
      events.push(
        signinEvent({
          errorCode: code,
          authenticationRequirement: req,
          failureReason: code === 50057 ? 'User account is disabled. The account has been disabled by an administrator.' : code === 53003 ? 'Blocked by Conditional Access' : undefined,
          additionalDetails: code === 500121 ? 'MFA denied; Phone App Reported Fraud' : undefined,
          clientAppUsed: code % 2 ? 'IMAP' : 'Browser',
          isCompliant: code === 0,
        }),
      );
    }
  }
  const noCode = signinEvent({ errorCode: 50053 });
  delete ((noCode.fields.properties as Record<string, unknown>).status as Record<string, unknown>).errorCode;
  events.push(noCode);
  for (const activity of [
    'Add conditional access policy',
    'Update conditional access policy',
    'Update application \u2013 Certificates and secrets management',
    'Update Service principal/Update Application',
    'Add member to role outside of PIM (permanent)',
    'Update application',
    'ADD USER',
    'Sign-in activity',
  ]) {
    events.push(
      auditEvent({ activity, targets: [{ modifiedProperties: [{ displayName: 'AppAddress', newValue: '["http://x"]' }] }] }),
      auditEvent({ activity, kind: 'other' }),
    );
  }
  const mismatched = auditEvent({ activity: 'Add user' });
  (mismatched.fields.properties as Record<string, unknown>).activityDisplayName = 'Add conditional access policy';
  events.push(mismatched);
  events.push(riskEvent({ riskEventType: 'anonymizedIPAddress' }), riskEvent({ riskEventType: 'unfamiliarFeatures' }));
  return events;
}

describe('RuleIndex equals a full scan', () => {
  it('over the fixture rules and a varied event set', async () => {
    const loaded = await loadRuleFiles([FIXTURES], { placeholders: {} });
    expect(loaded.rules.length).toBeGreaterThanOrEqual(12);
    const index = new RuleIndex(loaded.rules);
    expect(index.stats().never).toBe(1);
    const detections = assertSameAsFullScan(loaded.rules, variedEvents());
    expect(detections).toBeGreaterThan(15);
  });

  it('over generated rules and generated events (property style, seeded)', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const rnd = prng(seed);
      const rules = Array.from({ length: 60 }, (_, i) => generatedRule(rnd, i));
      const events = Array.from({ length: 300 }, () => generatedEvent(rnd));
      const index = new RuleIndex(rules);
      const s = index.stats();
      // the generator must exercise both the buckets and the fallback
      expect(s.indexed.signin + s.indexed.audit).toBeGreaterThan(0);
      expect(s.fallback.signin + s.fallback.audit).toBeGreaterThan(0);
      assertSameAsFullScan(rules, events);
    }
  });
});

// ---- generators ----------------------------------------------------------------------------------------

type Rnd = () => number;
function prng(seed: number): Rnd {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(rnd: Rnd, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];

const ACTIVITIES = ['Add user', 'Delete user', 'Update application', 'Add conditional access policy', 'Sign-in activity'];
const CODES = [0, 50053, 50126, 50057, 53003];
const USERS = ['alice@contoso.com', 'bob@contoso.com', 'ADMIN@contoso.com'];
const APPS = ['Browser', 'IMAP', 'Exchange ActiveSync'];
const DETAILS = ['MFA denied; fraud reported', 'Invalid username or password', 'Success', 'Failure', 'User declined'];
const NETWORKS = ['10.0.0.0/8', '10.1.2.0/24', '203.0.113.7', '2001:db8::/32', '::ffff:10.0.0.0/104', '0.0.0.0/0'];
// plain, padded, IPv4-mapped (dotted and hex), IPv6, bracketed with a zone, not an address
const ADDRESSES = ['10.1.2.3', '192.168.1.5', ' 10.9.9.9 ', '::ffff:10.1.2.3', '::ffff:a01:203', '2001:db8::5', '[2001:db8::1%eth0]', '203.0.113.7', 'unknown'];

function q(v: unknown): string {
  return typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : String(v);
}

function generatedEntry(rnd: Rnd): string {
  const kind = Math.floor(rnd() * 22);
  switch (kind) {
    case 0:
      return `ResultType: ${pick(rnd, CODES)}`;
    case 1:
      return `properties.status.errorCode: [${q(String(pick(rnd, CODES)))}, ${pick(rnd, CODES)}]`;
    case 2:
      return `operationName: ${q(pick(rnd, ACTIVITIES).toUpperCase())}`;
    case 3:
      return `properties.message: [${q(pick(rnd, ACTIVITIES))}, ${q(pick(rnd, ACTIVITIES))}]`;
    case 4:
      return `ActivityDisplayName|cased: ${q(pick(rnd, ACTIVITIES))}`;
    case 5:
      return `properties.message|startswith: ${q(pick(rnd, ACTIVITIES).slice(0, 4))}`;
    case 6:
      return `ResultType|neq: ${pick(rnd, CODES)}`;
    case 7:
      return `Username: ${q(pick(rnd, USERS))}`;
    case 8:
      return `ClientApp|contains: ${q(pick(rnd, APPS).slice(1, 4))}`;
    case 9:
      return `resultType: ${q(String(pick(rnd, CODES)))}`;
    case 10:
      return `ResultType: [${pick(rnd, CODES)}, null]`;
    case 12:
      return `Username|endswith: ${q(pick(rnd, USERS).slice(3))}`;
    case 13:
      return `ClientApp|cased|contains: ${q(pick(rnd, APPS).slice(0, 3))}`;
    case 15:
      return `Username|re: ${q(`^${pick(rnd, USERS).slice(0, 3)}[a-z]*@`)}`;
    case 16:
      return `ClientApp|re|i: ${q(`${pick(rnd, APPS).slice(0, 2)}.?${pick(rnd, APPS).slice(-3)}`)}`;
    case 14:
      return `properties.message|contains|all: [${q(pick(rnd, ACTIVITIES).slice(0, 3))}, ${q(pick(rnd, ACTIVITIES).slice(-3))}]`;
    case 17:
      return `IPAddress|cidr: ${q(pick(rnd, NETWORKS))}`;
    case 18:
      return `IPAddress|cidr: [${q(pick(rnd, NETWORKS))}, ${q(pick(rnd, NETWORKS))}]`;
    case 19:
      return `Status|contains: ${q(pick(rnd, DETAILS).slice(4, 10))}`;
    case 20:
      return `properties.status.additionalDetails|contains: ${q(pick(rnd, DETAILS).slice(0, 6))}`;
    case 21:
      return `properties.status.failureReason: ${q(pick(rnd, DETAILS))}`;
    default:
      return `properties.message: ${q(`${pick(rnd, ACTIVITIES).slice(0, 5)}*`)}`;
  }
}

function generatedRule(rnd: Rnd, i: number): CompiledRule {
  const sel = (name: string) => {
    if (rnd() < 0.25) return `  ${name}:\n    - ${generatedEntry(rnd)}\n    - ${generatedEntry(rnd)}`;
    const n = 1 + Math.floor(rnd() * 2);
    const entries = new Map<string, string>();
    while (entries.size < n) {
      const entry = generatedEntry(rnd);
      entries.set(entry.slice(0, entry.indexOf(':')), entry);
    }
    return `  ${name}:\n${[...entries.values()].map((e) => `    ${e}`).join('\n')}`;
  };
  const condition = pick(rnd, ['sel_a', 'sel_a and not sel_b', 'sel_a or sel_b', '1 of sel_*', 'all of them', 'not sel_b', 'sel_a and (sel_b or not sel_a)']);
  const logsource = pick(rnd, ['{product: azure, service: signinlogs}', '{product: azure, service: auditlogs}', '{product: azure}', '{product: windows}', '{}']);
  const text = `title: generated ${i}\nid: gen-${i}\nlogsource: ${logsource}\ndetection:\n${sel('sel_a')}\n${sel('sel_b')}\n  condition: ${condition}\n`;
  return parseRuleText(text, `gen-${i}.yml`, { placeholders: {} }).rules[0];
}

function generatedEvent(rnd: Rnd): EntraEvent {
  const kind: EventKind = pick(rnd, ['signin', 'audit', 'risk', 'other'] as const);
  if (kind === 'signin') {
    const details = () => (rnd() < 0.5 ? pick(rnd, DETAILS) : undefined);
    const e = signinEvent({ errorCode: pick(rnd, CODES), user: pick(rnd, USERS), clientAppUsed: pick(rnd, APPS), ip: pick(rnd, ADDRESSES), failureReason: details(), additionalDetails: details() });
    if (rnd() < 0.2) delete ((e.fields.properties as Record<string, unknown>).status as Record<string, unknown>).errorCode;
    if (rnd() < 0.2) ((e.fields.properties as Record<string, unknown>).status as Record<string, unknown>).errorCode = String(pick(rnd, CODES));
    if (rnd() < 0.2) (e.fields.properties as Record<string, unknown>).activityDisplayName = pick(rnd, ACTIVITIES);
    return e;
  }
  const e = auditEvent({ activity: pick(rnd, ACTIVITIES), initiatedByUser: pick(rnd, USERS), kind });
  const props = e.fields.properties as Record<string, unknown>;
  if (rnd() < 0.3) props.activityDisplayName = pick(rnd, ACTIVITIES).toLowerCase();
  if (rnd() < 0.2) delete props.activityDisplayName;
  if (rnd() < 0.2) delete e.fields.operationName;
  if (rnd() < 0.2) e.fields.operationName = [pick(rnd, ACTIVITIES), pick(rnd, ACTIVITIES)];
  if (rnd() < 0.3) props.status = { errorCode: pick(rnd, CODES) };
  if (rnd() < 0.2) e.fields.resultType = String(pick(rnd, CODES));
  return e;
}

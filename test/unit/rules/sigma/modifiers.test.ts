import { describe, expect, it } from 'vitest';
import { compileCidr } from '../../../../src/rules/sigma/cidr.js';
import { ruleFrom } from './helpers.js';
import { auditEvent, signinEvent } from './events.js';

const ua = (userAgent: string) => signinEvent({ userAgent });

describe('values and lists', () => {
  it('a map ANDs its keys; a list ORs its values', () => {
    const r = ruleFrom(`
sel:
  ResultType: [50053, 50126]
  Username: bob@contoso.com
condition: sel`);
    expect(r.match(signinEvent({ errorCode: 50126, user: 'bob@contoso.com' }))).toBe(true);
    expect(r.match(signinEvent({ errorCode: 50053, user: 'BOB@contoso.com' }))).toBe(true);
    expect(r.match(signinEvent({ errorCode: 50057, user: 'bob@contoso.com' }))).toBe(false);
    expect(r.match(signinEvent({ errorCode: 50126, user: 'eve@contoso.com' }))).toBe(false);
  });

  it('a list of maps ORs the maps', () => {
    const r = ruleFrom(`
sel:
  - ResultType: 50053
  - Username: eve@contoso.com
condition: sel`);
    expect(r.match(signinEvent({ errorCode: 50053 }))).toBe(true);
    expect(r.match(signinEvent({ user: 'eve@contoso.com' }))).toBe(true);
    expect(r.match(signinEvent({}))).toBe(false);
  });

  it('numbers match numbers and numeric strings; strings match numbers', () => {
    const r = ruleFrom(`
sel:
  properties.status.errorCode: 50126
condition: sel`);
    expect(r.match(signinEvent({ errorCode: 50126 }))).toBe(true);
    const s = ruleFrom(`
sel:
  resultType: 50126
condition: sel`);
    expect(s.match(signinEvent({ errorCode: 50126 }))).toBe(true); // the record's resultType is the string "50126"
    const t = ruleFrom(`
sel:
  properties.status.errorCode: '50126'
condition: sel`);
    expect(t.match(signinEvent({ errorCode: 50126 }))).toBe(true);
    expect(t.match(signinEvent({ errorCode: 501260 }))).toBe(false);
  });

  it('many plain values (the Set fast path) stay case-insensitive and exact', () => {
    const r = ruleFrom(`
sel:
  properties.message: [Add user, Delete user, Update user, Add member to role]
condition: sel`);
    expect(r.match(auditEvent({ activity: 'add USER' }))).toBe(true);
    expect(r.match(auditEvent({ activity: 'Add member to role' }))).toBe(true);
    expect(r.match(auditEvent({ activity: 'Add user2' }))).toBe(false);
  });

  it('booleans match booleans and their text', () => {
    const r = ruleFrom(`
sel:
  DeviceDetail.isCompliant: false
condition: sel`);
    expect(r.match(signinEvent({ isCompliant: false }))).toBe(true);
    expect(r.match(signinEvent({ isCompliant: true }))).toBe(false);
    const s = ruleFrom(`
sel:
  DeviceDetail.isCompliant: 'False'
condition: sel`);
    expect(s.match(signinEvent({ isCompliant: false }))).toBe(true);
  });

  it("null = field missing or null; '' = empty string", () => {
    const missing = ruleFrom(`
sel:
  properties.riskEventType: null
condition: sel`);
    expect(missing.match(signinEvent())).toBe(true);
    expect(missing.match(signinEvent({ extra: { riskEventType: null } }))).toBe(true);
    expect(missing.match(signinEvent({ extra: { riskEventType: 'anonymizedIPAddress' } }))).toBe(false);
    const empty = ruleFrom(`
sel:
  DeviceDetail.trustType: ''
condition: sel`);
    expect(empty.match(signinEvent())).toBe(true);
    expect(empty.match(signinEvent({ extra: { deviceDetail: { trustType: 'Azure AD joined' } } }))).toBe(false);
    expect(empty.match(signinEvent({ extra: { deviceDetail: {} } }))).toBe(false);
    const notNull = ruleFrom(`
sel:
  Username: '*'
filter:
  properties.riskEventType: null
condition: sel and not filter`);
    expect(notNull.match(signinEvent({ extra: { riskEventType: 'x' } }))).toBe(true);
    expect(notNull.match(signinEvent())).toBe(false);
  });

  it('null inside a list is ORed with the other values', () => {
    const r = ruleFrom(`
sel:
  properties.riskEventType: [null, unfamiliarFeatures]
condition: sel`);
    expect(r.match(signinEvent())).toBe(true);
    expect(r.match(signinEvent({ extra: { riskEventType: 'unfamiliarFeatures' } }))).toBe(true);
    expect(r.match(signinEvent({ extra: { riskEventType: 'other' } }))).toBe(false);
  });
});

describe('string modifiers', () => {
  it('contains / startswith / endswith, case-insensitive', () => {
    const c = ruleFrom(`
sel:
  userAgent|contains: python-requests
condition: sel`);
    expect(c.match(ua('x Python-Requests/2.31'))).toBe(true);
    expect(c.match(ua('curl/8'))).toBe(false);
    const s = ruleFrom(`
sel:
  userAgent|startswith: curl/
condition: sel`);
    expect(s.match(ua('CURL/8.1'))).toBe(true);
    expect(s.match(ua('x curl/8.1'))).toBe(false);
    const e = ruleFrom(`
sel:
  Username|endswith: '@contoso.com'
condition: sel`);
    expect(e.match(signinEvent({ user: 'a@CONTOSO.com' }))).toBe(true);
    expect(e.match(signinEvent({ user: 'a@contoso.com.evil' }))).toBe(false);
  });

  it('non-ASCII literals match case-insensitively too', () => {
    const r = ruleFrom(`
sel:
  properties.message|startswith: 'ÄNDERN'
condition: sel`);
    expect(r.match(auditEvent({ activity: 'ändern Benutzer' }))).toBe(true);
    expect(r.match(auditEvent({ activity: 'andern Benutzer' }))).toBe(false);
  });

  it('all: every value must be present (ANDed)', () => {
    const r = ruleFrom(`
sel:
  userAgent|contains|all: [python, requests]
condition: sel`);
    expect(r.match(ua('python-requests/2'))).toBe(true);
    expect(r.match(ua('python-urllib/3'))).toBe(false);
  });

  it('all over an array field: each value may come from a different element', () => {
    const r = ruleFrom(`
sel:
  TargetResources.displayName|all: [app1, app2]
condition: sel`);
    expect(r.match(auditEvent({ activity: 'x', targets: [{ displayName: 'app1' }, { displayName: 'APP2' }] }))).toBe(true);
    expect(r.match(auditEvent({ activity: 'x', targets: [{ displayName: 'app1' }] }))).toBe(false);
  });

  it('cased makes matching case-sensitive', () => {
    const r = ruleFrom(`
sel:
  userAgent|cased|contains: Python
condition: sel`);
    expect(r.match(ua('Python/3'))).toBe(true);
    expect(r.match(ua('python/3'))).toBe(false);
    const eq = ruleFrom(`
sel:
  Username|cased: Bob@contoso.com
condition: sel`);
    expect(eq.match(signinEvent({ user: 'Bob@contoso.com' }))).toBe(true);
    expect(eq.match(signinEvent({ user: 'bob@contoso.com' }))).toBe(false);
  });

  it('exists: true / false, a null value counts as present', () => {
    const yes = ruleFrom(`
sel:
  properties.riskEventType|exists: true
condition: sel`);
    const no = ruleFrom(`
sel:
  properties.riskEventType|exists: false
condition: sel`);
    expect(yes.match(signinEvent({ extra: { riskEventType: null } }))).toBe(true);
    expect(yes.match(signinEvent())).toBe(false);
    expect(no.match(signinEvent())).toBe(true);
    expect(no.match(signinEvent({ extra: { riskEventType: 'x' } }))).toBe(false);
  });

  it('neq: the field equals none of the values (an absent field matches)', () => {
    const r = ruleFrom(`
sel:
  ClientApp|neq: [Browser, Mobile Apps and Desktop clients]
condition: sel`);
    expect(r.match(signinEvent({ clientAppUsed: 'Exchange ActiveSync' }))).toBe(true);
    expect(r.match(signinEvent({ clientAppUsed: 'browser' }))).toBe(false);
    expect(r.match(signinEvent({ clientAppUsed: 'Mobile Apps and Desktop clients' }))).toBe(false);
    const n = ruleFrom(`
sel:
  properties.status.errorCode|neq: 0
condition: sel`);
    expect(n.match(signinEvent({ errorCode: 50126 }))).toBe(true);
    expect(n.match(signinEvent({ errorCode: 0 }))).toBe(false);
  });

  it('windash: - / and the unicode dashes are interchangeable at the start of a flag', () => {
    const r = ruleFrom(`
sel:
  userAgent|windash|contains: ' -enc '
condition: sel`);
    for (const d of ['-', '/', '\u2013', '\u2014', '\u2015']) expect(r.match(ua(`powershell ${d}enc abc`))).toBe(true);
    expect(r.match(ua('powershell +enc abc'))).toBe(false);
    const inWord = ruleFrom(`
sel:
  userAgent|windash: 'a-b'
condition: sel`);
    expect(inWord.match(ua('a-b'))).toBe(true);
    expect(inWord.match(ua('a/b'))).toBe(false); // a dash inside a word is not a flag
  });

  it('re: case-sensitive unless i; m and s flags; PCRE inline (?i)', () => {
    const r = ruleFrom(`
sel:
  Username|re: '^adm[0-9]+@'
condition: sel`);
    expect(r.match(signinEvent({ user: 'adm12@contoso.com' }))).toBe(true);
    expect(r.match(signinEvent({ user: 'ADM12@contoso.com' }))).toBe(false);
    const i = ruleFrom(`
sel:
  Username|re|i: '^adm[0-9]+@'
condition: sel`);
    expect(i.match(signinEvent({ user: 'ADM12@contoso.com' }))).toBe(true);
    const inline = ruleFrom(`
sel:
  Username|re: '(?i)^adm[0-9]+@'
condition: sel`);
    expect(inline.match(signinEvent({ user: 'ADM12@contoso.com' }))).toBe(true);
    const m = ruleFrom(`
sel:
  userAgent|re|m: '^second$'
condition: sel`);
    expect(m.match(ua('first\nsecond\nthird'))).toBe(true);
    const noM = ruleFrom(`
sel:
  userAgent|re: '^second$'
condition: sel`);
    expect(noM.match(ua('first\nsecond\nthird'))).toBe(false);
    const s = ruleFrom(`
sel:
  userAgent|re|s: 'first.second'
condition: sel`);
    expect(s.match(ua('first\nsecond'))).toBe(true);
    const noS = ruleFrom(`
sel:
  userAgent|re: 'first.second'
condition: sel`);
    expect(noS.match(ua('first\nsecond'))).toBe(false);
  });

  it('re also matches numbers as text', () => {
    const r = ruleFrom(`
sel:
  ResultType|re: '^5005[37]$'
condition: sel`);
    expect(r.match(signinEvent({ errorCode: 50057 }))).toBe(true);
    expect(r.match(signinEvent({ errorCode: 50058 }))).toBe(false);
  });
});

describe('encoding modifiers', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');

  it('base64: the value is matched base64-encoded', () => {
    const r = ruleFrom(`
sel:
  userAgent|base64: 'hello'
condition: sel`);
    expect(r.match(ua(b64('hello')))).toBe(true);
    expect(r.match(ua(b64('hello').toLowerCase()))).toBe(false); // base64 is case-significant
    expect(r.match(ua('hello'))).toBe(false);
  });

  it('base64offset|contains finds the value at any offset of an encoded string', () => {
    const r = ruleFrom(`
sel:
  userAgent|base64offset|contains: 'http://'
condition: sel`);
    for (const prefix of ['', 'a', 'ab', 'abc', 'xyzw']) {
      expect(r.match(ua(b64(`${prefix}http://evil.example/`)))).toBe(true);
    }
    expect(r.match(ua(b64('https://evil.example/')))).toBe(false);
  });

  it('utf16le / wide / utf16be / utf16 then base64', () => {
    const le = Buffer.from('cmd', 'utf16le').toString('base64');
    const be = Buffer.from([0, 0x63, 0, 0x6d, 0, 0x64]).toString('base64');
    const bom = Buffer.from([0xff, 0xfe, 0x63, 0, 0x6d, 0, 0x64, 0]).toString('base64');
    const cases: Array<[string, string]> = [
      ['utf16le', le],
      ['wide', le],
      ['utf16be', be],
      ['utf16', bom],
    ];
    for (const [mod, encoded] of cases) {
      const r = ruleFrom(`
sel:
  userAgent|${mod}|base64: 'cmd'
condition: sel`);
      expect(r.match(ua(encoded)), mod).toBe(true);
      expect(r.match(ua(b64('cmd'))), mod).toBe(false);
    }
  });

  it('an encoding of a value with a wildcard is a load error (contains goes after the encoding)', () => {
    expect(() =>
      ruleFrom(`
sel:
  userAgent|contains|base64: 'abc'
condition: sel`),
    ).toThrow(/base64 cannot encode a value with the wildcard "\*"/);
  });
});

describe('numeric, time, cidr, fieldref, expand', () => {
  it('lt / lte / gt / gte compare numbers and numeric strings', () => {
    const mk = (mod: string, v: number) =>
      ruleFrom(`
sel:
  durationMs|${mod}: ${v}
condition: sel`);
    const withDuration = (d: unknown) => {
      const e = signinEvent();
      e.fields.durationMs = d;
      return e;
    };
    expect(mk('lt', 100).match(withDuration(99))).toBe(true);
    expect(mk('lt', 100).match(withDuration(100))).toBe(false);
    expect(mk('lte', 100).match(withDuration(100))).toBe(true);
    expect(mk('lte', 100).match(withDuration('101'))).toBe(false);
    expect(mk('gt', 100).match(withDuration('101'))).toBe(true);
    expect(mk('gt', 100).match(withDuration(100))).toBe(false);
    expect(mk('gte', 100).match(withDuration(100))).toBe(true);
    expect(mk('gte', 100).match(withDuration('abc'))).toBe(false);
    expect(() => mk('gte', 'abc' as unknown as number)).toThrow(/"abc" is not a number/);
  });

  it('minute / hour / day / week / month / year of the date value, UTC', () => {
    const e = signinEvent({ time: '2024-12-30T23:45:10+00:00' }); // ISO week 1 of 2025
    const cases: Array<[string, number, number]> = [
      ['minute', 45, 44],
      ['hour', 23, 22],
      ['day', 30, 29],
      ['week', 1, 52],
      ['month', 12, 11],
      ['year', 2024, 2025],
    ];
    for (const [part, yes, no] of cases) {
      expect(ruleFrom(`
sel:
  time|${part}: ${yes}
condition: sel`).match(e), part).toBe(true);
      expect(ruleFrom(`
sel:
  time|${part}: ${no}
condition: sel`).match(e), part).toBe(false);
    }
    const night = ruleFrom(`
sel:
  properties.createdDateTime|hour|gte: 22
condition: sel`);
    expect(night.match(signinEvent({ time: '2024-01-01T22:10:00Z' }))).toBe(true);
    expect(night.match(signinEvent({ time: '2024-01-01T21:59:59Z' }))).toBe(false);
    const offset = ruleFrom(`
sel:
  time|hour: 6
condition: sel`);
    expect(offset.match(signinEvent({ time: '2024-01-01T08:00:00+02:00' }))).toBe(true);
  });

  it('cidr: IPv4 and IPv6 networks', () => {
    const v4 = ruleFrom(`
sel:
  IPAddress|cidr: [10.0.0.0/8, 192.168.1.0/24]
condition: sel`);
    expect(v4.match(signinEvent({ ip: '10.200.3.4' }))).toBe(true);
    expect(v4.match(signinEvent({ ip: '192.168.1.255' }))).toBe(true);
    expect(v4.match(signinEvent({ ip: '192.168.2.1' }))).toBe(false);
    expect(v4.match(signinEvent({ ip: '11.0.0.1' }))).toBe(false);
    expect(v4.match(signinEvent({ ip: '::ffff:10.1.1.1' }))).toBe(true);
    expect(v4.match(signinEvent({ ip: 'not an ip' }))).toBe(false);
    const v6 = ruleFrom(`
sel:
  IPAddress|cidr: '2001:db8::/32'
condition: sel`);
    expect(v6.match(signinEvent({ ip: '2001:db8:1234::1' }))).toBe(true);
    expect(v6.match(signinEvent({ ip: '2001:0DB8:0:0:0:0:0:1' }))).toBe(true);
    expect(v6.match(signinEvent({ ip: '2001:db9::1' }))).toBe(false);
    expect(v6.match(signinEvent({ ip: '10.0.0.1' }))).toBe(false);
    const odd = ruleFrom(`
sel:
  IPAddress|cidr: 'fe80::/10'
condition: sel`);
    expect(odd.match(signinEvent({ ip: 'fe80::1%eth0' }))).toBe(true);
    expect(odd.match(signinEvent({ ip: 'fec0::1' }))).toBe(false);
    expect(() =>
      ruleFrom(`
sel:
  IPAddress|cidr: 10.0.0.0/33
condition: sel`),
    ).toThrow(/not a valid IPv4 CIDR/);
  });

  it('cidr reads addresses in every IPv6 spelling, and only valid ones', () => {
    const everything = compileCidr('::/0');
    const mapped = compileCidr('10.0.0.0/8');
    for (const ip of ['::', '::1', '1::', '1:2:3:4:5:6:7:8', '1::8', '2001:DB8::aBcD', '[2001:db8::1]', 'fe80::1%eth0', ' 2001:db8::1 ', '::1.2.3.4', '1:2:3:4:5:6:1.2.3.4', '2001:0db8:0000:0000:0000:ff00:0042:8329']) {
      expect(everything(ip), ip).toBe(true);
    }
    for (const ip of [':::', ':1::', '1:::2', '1::2::3', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1::2:3:4:5:6:7:8', 'g::1', '2001:db8::12345', '1:', ':1', '::1:', '::ffff:1.2.3', '2001:db8::1.2.3.400', '[2001:db8::1%eth0]', 'a:1.2.3.4', '1:2:3:4:5:6:7:1.2.3.4']) {
      expect(everything(ip), ip).toBe(false);
    }
    expect(mapped('::ffff:10.1.2.3')).toBe(true);
    expect(mapped('::FFFF:a01:203')).toBe(true);
    expect(mapped('::fffe:a01:203')).toBe(false);
    const low = compileCidr('2001:db8:0:0:0:0:0:ff00/120');
    expect(low('2001:db8::ff7f')).toBe(true);
    expect(low('2001:db8::fe00')).toBe(false);
  });

  it('fieldref compares two fields of the event (also with neq and contains)', () => {
    const eq = ruleFrom(`
sel:
  properties.ipAddress|fieldref: callerIpAddress
condition: sel`);
    const e = signinEvent({ ip: '203.0.113.9' });
    expect(eq.match(e)).toBe(true);
    e.fields.callerIpAddress = '203.0.113.10';
    expect(eq.match(e)).toBe(false);
    const neq = ruleFrom(`
sel:
  properties.ipAddress|fieldref|neq: callerIpAddress
condition: sel`);
    expect(neq.match(e)).toBe(true);
    const contains = ruleFrom(`
sel:
  Username|fieldref|endswith: properties.extraDomain
condition: sel`);
    expect(contains.match(signinEvent({ user: 'a@Contoso.com', extra: { extraDomain: 'contoso.COM' } }))).toBe(true);
    expect(contains.match(signinEvent({ user: 'a@fabrikam.com', extra: { extraDomain: 'contoso.com' } }))).toBe(false);
  });

  it('expand fills %name% from the placeholders option (values may hold wildcards)', () => {
    const r = ruleFrom(
      `
sel:
  InitiatedBy.user.userPrincipalName|expand: '%approved_actors%'
condition: not sel`,
      { placeholders: { approved_actors: ['admin@contoso.com', 'ops-*@contoso.com'] } },
    );
    expect(r.match(auditEvent({ activity: 'x', initiatedByUser: 'admin@contoso.com' }))).toBe(false);
    expect(r.match(auditEvent({ activity: 'x', initiatedByUser: 'ops-7@contoso.com' }))).toBe(false);
    expect(r.match(auditEvent({ activity: 'x', initiatedByUser: 'mallory@contoso.com' }))).toBe(true);
    const mixed = ruleFrom(
      `
sel:
  userAgent|expand: '\\%literal %tool%/*'
condition: sel`,
      { placeholders: { tool: ['curl', 'wget'] } },
    );
    expect(mixed.match(ua('%literal wget/1.2'))).toBe(true);
    expect(mixed.match(ua('%literal lynx/1.2'))).toBe(false);
    const plain = ruleFrom(`
sel:
  userAgent: '%tool%'
condition: sel`);
    expect(plain.match(ua('%tool%'))).toBe(true); // without expand a placeholder is literal text
  });

  it('a missing placeholder is a load error naming it and its config key', () => {
    expect(() =>
      ruleFrom(`
sel:
  Username|expand: '%approved_admins%'
condition: sel`),
    ).toThrow(/%approved_admins%.*placeholders\.approved_admins/);
  });
});

describe('keywords', () => {
  it('a list of values is searched (contains) in every value of the record', () => {
    const r = ruleFrom(`
keywords:
  - 'Phone App Reported Fraud'
  - 'fraud code entered'
condition: keywords`);
    expect(r.match(signinEvent({ errorCode: 500121, additionalDetails: 'MFA denied; Phone App Reported Fraud' }))).toBe(true);
    expect(r.match(signinEvent({ errorCode: 500121, additionalDetails: 'MFA denied; user declined the authentication' }))).toBe(false);
  });

  it("'|all' keywords must all be present", () => {
    const r = ruleFrom(`
keywords:
  '|all':
    - 'MFA denied'
    - 'fraud'
condition: keywords`);
    expect(r.match(signinEvent({ additionalDetails: 'MFA denied; fraud code entered' }))).toBe(true);
    expect(r.match(signinEvent({ additionalDetails: 'MFA denied; user declined' }))).toBe(false);
  });
});

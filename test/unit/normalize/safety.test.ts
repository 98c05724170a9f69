// Bad input never crashes normalize and never pollutes a prototype; it fails with a DecodeError and a reason.
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../src/decode/index.js';
import { DecodeError } from '../../../src/errors.js';
import { normalizeRecord } from '../../../src/normalize/index.js';
import { fixtureRecord, norm, variant } from './helpers.js';

const signIn = fixtureRecord('signin.eventhubs.json');
const audit = fixtureRecord('audit.eventhubs.json');

function failureOf(run: () => unknown): DecodeError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(DecodeError);
    return err as DecodeError;
  }
  throw new Error('expected a DecodeError');
}

describe('normalize: bad records', () => {
  it('rejects a record that is not an object, and properties that are not an object', () => {
    expect(failureOf(() => norm(['x'])).reason).toMatch(/not a JSON object/);
    expect(failureOf(() => norm(null)).reason).toMatch(/not a JSON object/);
    expect(failureOf(() => norm({ ...signIn, properties: 'x' })).reason).toMatch(/"properties" is a string/);
    expect(failureOf(() => norm({ ...signIn, properties: [1] })).reason).toMatch(/"properties" is an array/);
    expect(failureOf(() => norm({ ...signIn, properties: 7 })).reason).toMatch(/"properties" is number/);
    // a properties object JSON-encoded a second time by a shipper is read
    expect(norm({ ...signIn, properties: JSON.stringify(signIn.properties) }).cim.user).toBe('alice@contoso.onmicrosoft.com');
  });

  it('never lets __proto__ / constructor keys reach Object.prototype', () => {
    const body = `{"records":[{"time":"2024-03-12T16:02:15Z","category":"AuditLogs","__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}},
      "properties":{"id":"p1","__proto__":{"polluted":3},"result":"constructor","operationType":"__proto__","category":"toString",
      "targetResources":[{"type":"constructor","modifiedProperties":[{"displayName":"__proto__","oldValue":"{\\"__proto__\\":{\\"polluted\\":4}}","newValue":"[]"}]}]}}]}`;
    const [decoded] = decodeMessage(body, { source: 'p' });
    if (!decoded.ok) throw decoded.error;
    const e = normalizeRecord(decoded);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(e.cim.object_attrs).toEqual(['__proto__']);
    expect(e.cim.object_category).toBe('constructor');
    const csv = normalizeRecord({ record: JSON.parse('{"Date (UTC)":"2024-03-12T17:20:01Z","Activity":"Add user","__proto__":"x","constructor":"y","ActorType":"constructor","Result":"__proto__"}'), format: 'csv-audit', origin: { source: 'a.csv' } });
    expect(csv.kind).toBe('audit');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('handles 1000-deep nesting without a stack overflow: decode fails it, normalize fails a hashed one cleanly', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 1000; i++) deep = [deep];
    const noId = { time: '2024-03-12T16:02:15Z', category: 'Foo', properties: { deep } };
    expect(failureOf(() => norm(noId)).reason).toMatch(/nested deeper/);
    const withId = { ...noId, properties: { id: 'x', deep } };
    expect(norm(withId).id).toBe('x');
  });

  it('passes a record with a 5 MB string', () => {
    const big = 'u'.repeat(5 * 1024 * 1024);
    expect(norm(variant(signIn, (r: any) => (r.properties.userAgent = big))).cim.user_agent).toHaveLength(big.length);
    expect(norm(variant(audit, (r: any) => (r.properties.targetResources[0].modifiedProperties[0].newValue = JSON.stringify([big])))).kind).toBe('audit');
  });

  it('CSV rows with missing columns are read with what they have', () => {
    const e = normalizeRecord({ record: { 'Date (UTC)': '2024-03-12T16:02:15Z', 'Request ID': 'r1' }, format: 'csv-signin', origin: { source: 'x.csv', line: 2 } });
    expect(e).toMatchObject({ id: 'r1', kind: 'signin', category: 'SignInLogs' });
    expect(e.cim).toMatchObject({ id: 'r1', action: 'success', app: 'Azure AD', signature: 'Sign-in activity' });
    expect(e.cim).not.toHaveProperty('user');
    expect(failureOf(() => normalizeRecord({ record: { 'Request ID': 'r2' }, format: 'csv-signin', origin: { source: 'x.csv' } })).reason).toMatch(/no usable time/);
  });
});

describe('normalize: portal CSV mapping', () => {
  it('maps sign-in columns to Graph properties, typed, with the interactive hint from the file name', () => {
    const row = {
      'Date (UTC)': '3/12/2024 4:02:15 PM', 'Request ID': 'r1', Username: 'a@b.c', 'User ID': 'u1', 'Sign-in error code': '53003', Status: 'Failure',
      'Failure reason': 'Access has been blocked by Conditional Access policies.', Location: 'Lagos, NG', Compliant: 'true', Latency: '80',
      'Conditional Access': 'Failure', 'Autonomous system number': '37148', 'Flagged for review': 'No', 'IP address': '192.0.2.7', Location_dup: '',
    };
    const e = normalizeRecord({ record: row, format: 'csv-signin', origin: { source: 'NonInteractiveSignIns_2024.csv', line: 2 } });
    const p = (e.fields as any).properties;
    expect(e.category).toBe('NonInteractiveUserSignInLogs');
    expect(p).toMatchObject({ id: 'r1', userPrincipalName: 'a@b.c', status: { errorCode: 53003 }, location: { city: 'Lagos', countryOrRegion: 'NG' }, deviceDetail: { isCompliant: true }, processingTimeInMilliseconds: 80, conditionalAccessStatus: 'failure', autonomousSystemNumber: 37148, flaggedForReview: false, isInteractive: false });
    expect(e.time).toBe(Date.UTC(2024, 2, 12, 16, 2, 15));
    expect(e.cim).toMatchObject({ action: 'failure', error_code: 53003, authentication_method: 'nonInteractive', src: '192.0.2.7', country: 'NG' });
  });

  it('reads the portal\'s protocol labels as Graph\'s protocolType values, so CIM authentication_protocol matches Event Hubs', () => {
    const protocolOf = (label: string) => {
      const e = normalizeRecord({ record: { 'Date (UTC)': '2024-03-12T16:02:15Z', 'Request ID': 'r1', 'Authentication Protocol': label }, format: 'csv-signin', origin: { source: 'x.csv' } });
      return [(e.fields as any).properties.authenticationProtocol, e.cim.authentication_protocol];
    };
    expect(protocolOf('None')).toEqual(['none', 'none']);
    expect(protocolOf('OAuth2')).toEqual(['oAuth2', 'oAuth2']);
    expect(protocolOf('ROPC')).toEqual(['ropc', 'ropc']);
    expect(protocolOf('Device code')).toEqual(['deviceCode', 'deviceCode']);
    expect(protocolOf('Something new')).toEqual(['Something new', 'Something new']);
  });

  it('first non-empty duplicate column wins', () => {
    const e = normalizeRecord({ record: { 'Date (UTC)': '2024-03-12T16:02:15Z', 'Request ID': 'r1', Location: '', 'Location#2': 'Paris, Paris, FR' }, format: 'csv-signin', origin: { source: 'x.csv' } });
    expect((e.fields as any).properties.location).toEqual({ city: 'Paris', state: 'Paris', countryOrRegion: 'FR' });
  });

  it('maps audit actor, targets, modified properties and additional details', () => {
    const row = {
      'Date (UTC)': '2024-03-12T17:20:01Z', Service: 'B2C', Category: 'Policy', Activity: 'Delete custom policy', Result: 'Failure', ResultReason: 'denied',
      ActorType: 'Application', ActorDisplayName: 'CPIM Service', ActorObjectId: 'sp1',
      Target1Type: 'Policy', Target1DisplayName: 'B2C_1A_x', Target2Type: 'User', Target2UserPrincipalName: 'v@b.c', Target2ObjectId: 'u9',
      Target1ModifiedProperty2Name: 'Key', Target1ModifiedProperty2NewValue: '"v"', AdditionalDetail1Key: 'PolicyId', AdditionalDetail1Value: 'B2C_1A_x',
    };
    const e = normalizeRecord({ record: row, format: 'csv-audit', origin: { source: 'AuditLogs.csv' } });
    const p = (e.fields as any).properties;
    expect(p.initiatedBy).toEqual({ app: { displayName: 'CPIM Service', servicePrincipalId: 'sp1' } });
    expect(p.targetResources).toEqual([
      { type: 'Policy', displayName: 'B2C_1A_x', modifiedProperties: [{ displayName: 'Key', newValue: '"v"', oldValueParsed: undefined, newValueParsed: 'v' }] },
      { type: 'User', userPrincipalName: 'v@b.c', id: 'u9' },
    ]);
    expect(p.additionalDetails).toEqual([{ key: 'PolicyId', value: 'B2C_1A_x' }]);
    expect(e.cim).toMatchObject({ action: 'deleted', status: 'failure', result: 'denied', user: 'v@b.c', src_user: 'CPIM Service', src_user_type: 'servicePrincipal', object: 'B2C_1A_x', object_category: 'policy', dvc: 'B2C', object_attrs: ['Key'] });
  });

  it('auth-details rows are kept as kind other, category SignInAuthenticationDetails, with a hash id', () => {
    const e = normalizeRecord({ record: { 'Request ID': 'r1', 'Date (UTC)': '2024-03-12T16:02:15Z', 'Authentication method': 'Text message', Succeeded: 'false', 'Result detail': 'MFA denied; user declined the authentication' }, format: 'csv-signin-authdetails', origin: { source: 'x.csv' } });
    expect(e).toMatchObject({ kind: 'other', category: 'SignInAuthenticationDetails' });
    expect(e.id).toMatch(/^h:/);
    expect((e.fields as any).properties).toMatchObject({ signInId: 'r1', authenticationDetails: [{ authenticationMethod: 'Text message', succeeded: false, authenticationStepResultDetail: 'MFA denied; user declined the authentication' }] });
  });
});

import { describe, expect, it } from 'vitest';
import { compileFieldAccessor, resolveFieldName } from '../../../../src/rules/fields/index.js';
import { auditEvent, signinEvent } from './events.js';

describe('field mapping', () => {
  const signin = signinEvent({ errorCode: 50126, failureReason: 'Invalid username or password', user: 'bob@contoso.com' });

  it('resolves record paths case-insensitively against the record keys', () => {
    expect(compileFieldAccessor('properties.status.errorCode').get(signin)).toEqual([50126]);
    expect(compileFieldAccessor('PROPERTIES.Status.ERRORCODE').get(signin)).toEqual([50126]);
    expect(compileFieldAccessor('fields.properties.userPrincipalName').get(signin)).toEqual(['bob@contoso.com']);
  });

  it('maps Log Analytics / SigmaHQ columns, whatever their case', () => {
    expect(compileFieldAccessor('ResultType').get(signin)).toEqual([50126]);
    expect(compileFieldAccessor('resulttype').resolved).toBe(compileFieldAccessor('ResultType').resolved);
    expect(compileFieldAccessor('ResultDescription').get(signin)).toEqual(['Invalid username or password']);
    expect(compileFieldAccessor('Username').get(signin)).toEqual(['bob@contoso.com']);
    expect(compileFieldAccessor('UserPrincipalName').get(signin)).toEqual(['bob@contoso.com']);
    expect(compileFieldAccessor('IPAddress').get(signin)).toEqual(['203.0.113.7']);
    expect(compileFieldAccessor('Location').get(signin)).toEqual(['US']);
    expect(compileFieldAccessor('ClientApp').get(signin)).toEqual(['Browser']);
    expect(compileFieldAccessor('DeviceDetail.isCompliant').get(signin)).toEqual([false]);
    expect(compileFieldAccessor('DeviceDetail.trusttype').get(signin)).toEqual(['']);
    expect(compileFieldAccessor('AuthenticationRequirement').get(signin)).toEqual(['singleFactorAuthentication']);
    expect(compileFieldAccessor('userAgent').get(signin)).toEqual(['Mozilla/5.0 (Windows NT 10.0; Win64; x64)']);
    expect(compileFieldAccessor('OperationName').get(signin)).toEqual(['Sign-in activity']);
    expect(compileFieldAccessor('Category').get(signin)).toEqual(['SignInLogs']);
  });

  it('Status packs errorCode, failureReason, additionalDetails and Success/Failure', () => {
    const e = signinEvent({ errorCode: 500121, failureReason: 'Authentication failed', additionalDetails: 'MFA denied; user declined the authentication' });
    expect(compileFieldAccessor('Status').get(e)).toEqual([500121, 'Authentication failed', 'MFA denied; user declined the authentication', 'Failure']);
    expect(compileFieldAccessor('Status').get(signinEvent())).toEqual([0, 'Success']);
  });

  it('falls back to the top-level resultType when status.errorCode is absent', () => {
    const e = signinEvent({ errorCode: 50053 });
    delete ((e.fields.properties as Record<string, unknown>).status as Record<string, unknown>).errorCode;
    expect(compileFieldAccessor('ResultType').get(e)).toEqual(['50053']);
  });

  it('maps audit columns: properties.message and ActivityDisplayName are the activity name', () => {
    const e = auditEvent({ activity: 'Add conditional access policy', category: 'Policy', loggedByService: 'Conditional Access' });
    expect(compileFieldAccessor('properties.message').get(e)).toEqual(['Add conditional access policy']);
    expect(compileFieldAccessor('ActivityDisplayName').get(e)).toEqual(['Add conditional access policy']);
    expect(compileFieldAccessor('LoggedByService').get(e)).toEqual(['Conditional Access']);
    expect(compileFieldAccessor('Category').get(e)).toEqual(['Policy']);
    expect(compileFieldAccessor('InitiatedBy.user.userPrincipalName').get(e)).toEqual(['admin@contoso.com']);
    expect(compileFieldAccessor('Initiatedby').get(e)).toHaveLength(1);
  });

  it('resolves CIM names to event.cim, and cim./fields. prefixes explicitly', () => {
    expect(compileFieldAccessor('user').resolved).toBe('cim.user');
    expect(compileFieldAccessor('src_ip').get(signin)).toEqual(['203.0.113.7']);
    expect(compileFieldAccessor('cim.action').get(signin)).toEqual(['failure']);
    expect(compileFieldAccessor('fields.operationName').resolved).toBe('fields.operationName');
    // Status is the Log Analytics column; the CIM field is reached with its prefix
    expect(compileFieldAccessor('status').resolved).toContain('errorCode');
    expect(compileFieldAccessor('cim.status').resolved).toBe('cim.status');
  });

  it('visits every element of arrays on the way (as Splunk {})', () => {
    const e = auditEvent({
      activity: 'Update application',
      targets: [
        { displayName: 'app1', modifiedProperties: [{ displayName: 'KeyDescription', oldValue: '[]', newValue: '["a"]' }] },
        { displayName: 'app2', modifiedProperties: [{ displayName: 'AppAddress', oldValue: '[]', newValue: '["https://evil"]' }, { displayName: 'X', newValue: null }] },
      ],
    });
    expect(compileFieldAccessor('TargetResources.ModifiedProperties.NewValue').get(e)).toEqual(['["a"]', '["https://evil"]', null]);
    expect(compileFieldAccessor('properties.targetResources{}.displayName').get(e)).toEqual(['app1', 'app2']);
  });

  it('Graph-style names without properties. resolve too', () => {
    expect(compileFieldAccessor('status.errorCode').get(signin)).toEqual([50126]);
    expect(resolveFieldName('userPrincipalName').targets).toContain('fields.properties.userPrincipalName');
  });

  it('returns [] when the field is absent', () => {
    expect(compileFieldAccessor('properties.nope.deeper').get(signin)).toEqual([]);
    expect(compileFieldAccessor('riskEventType').get(signin)).toEqual([]);
    expect(compileFieldAccessor('cim.nothing').get(signin)).toEqual([]);
  });

  it('reads each path with its own generated walk: any key text, any spelling, arrays and prototype names', () => {
    const hostile = 'x"];\n\u2028globalThis["entrawatchPwned"]=1;//\\';
    const event = (fields: Record<string, unknown>) => ({ ...signin, fields });
    const accessor = compileFieldAccessor(`fields.odd.${hostile}`);
    expect(accessor.get(event({ odd: { [hostile]: 'found' } }))).toEqual(['found']);
    expect((globalThis as Record<string, unknown>).entrawatchPwned).toBeUndefined();
    // one path, records that spell the keys differently, one after the other
    const upn = compileFieldAccessor('fields.Properties.UserPrincipalName');
    expect(upn.get(event({ properties: { userPrincipalName: 'a@x' } }))).toEqual(['a@x']);
    expect(upn.get(event({ PROPERTIES: { USERPRINCIPALNAME: 'b@x' } }))).toEqual(['b@x']);
    expect(upn.get(event({ Properties: { UserPrincipalName: 'c@x' } }))).toEqual(['c@x']);
    expect(upn.get(event({ properties: {} }))).toEqual([]);
    // arrays at any depth, scalars on the way
    const deep = compileFieldAccessor('fields.a.b.c');
    expect(deep.get(event({ a: [{ b: { c: 1 } }, { b: [{ c: [2, 3] }, { c: 4 }] }, 'scalar', null] }))).toEqual([1, 2, 3, 4]);
    expect(deep.get(event({ a: { b: 'scalar' } }))).toEqual([]);
    // names of Object.prototype members count only as own keys
    const ctor = compileFieldAccessor('fields.properties.constructor');
    expect(ctor.get(event({ properties: {} }))).toEqual([]);
    expect(ctor.get(event({ properties: JSON.parse('{"Constructor":"own"}') as unknown }))).toEqual(['own']);
    expect(compileFieldAccessor('fields.__proto__').get(event(JSON.parse('{"__proto__":"own"}') as Record<string, unknown>))).toEqual(['own']);
  });

  it('Status resolves properties.status once for its three keys, and visits what walking each path visits', () => {
    const status = compileFieldAccessor('Status');
    const shapes: unknown[] = [
      { status: { errorCode: 50126, failureReason: 'Invalid password', additionalDetails: 'MFA denied' } },
      { status: { errorCode: 0 } },
      { STATUS: { ErrorCode: 53003, FAILUREREASON: 'Blocked' } },
      { status: [{ errorCode: 1, failureReason: 'a' }, { additionalDetails: ['b', 'c'] }] },
      [{ status: { errorCode: 7 } }, { status: { failureReason: 'd' } }],
      { status: 'scalar' },
      { status: null },
      {},
    ];
    for (const properties of shapes) {
      const event = { ...signin, fields: { properties } };
      const visited: unknown[] = [];
      expect(status.some(event, (v) => (visited.push(v), false))).toBe(false);
      expect(visited, JSON.stringify(properties)).toEqual(status.get(event));
      // and it stops at the first value accepted
      const first = status.get(event)[0];
      if (first !== undefined) expect(status.some(event, (v) => v === first)).toBe(true);
    }
  });

  it('marks only activity / error-code accessors as indexable', () => {
    expect(compileFieldAccessor('ResultType').indexable).toBe(true);
    expect(compileFieldAccessor('properties.message').indexable).toBe(true);
    expect(compileFieldAccessor('operationName').indexable).toBe(true);
    expect(compileFieldAccessor('properties.status.errorCode').indexable).toBe(true);
    expect(compileFieldAccessor('Status').indexable).toBe(false);
    expect(compileFieldAccessor('user').indexable).toBe(false);
  });
});

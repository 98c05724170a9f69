// Every tolerance of entra-logs.md §1, category inference for records without one, and the canonical fields.
import { describe, expect, it } from 'vitest';
import { conditionFlagsToString } from '../../../src/normalize/canonical.js';
import { parseRecordTime } from '../../../src/normalize/time.js';
import { fixtureRecord, norm, variant } from './helpers.js';

const signIn = fixtureRecord('signin.eventhubs.json');
const audit = fixtureRecord('audit.eventhubs.json');
const f = (e: { fields: Record<string, unknown> }) => e.fields as Record<string, any>;

describe('record time', () => {
  it('reads every time form as UTC', () => {
    const t = Date.UTC(2007, 0, 9, 9, 41, 0);
    expect(parseRecordTime('2007-01-09T09:41:00.1234567Z')).toBe(t + 123);
    expect(parseRecordTime('2007-01-09T09:41:00.1234567+00:00')).toBe(t + 123);
    expect(parseRecordTime('2007-01-09T11:41:00+02:00')).toBe(t);
    expect(parseRecordTime('2007-01-09 09:41:00')).toBe(t);
    expect(parseRecordTime('1/9/2007 9:41:00 AM')).toBe(t);
    expect(parseRecordTime('1/9/2007 9:41:00 PM')).toBe(t + 12 * 3600_000);
    expect(parseRecordTime('1/9/2007 12:05:00 AM')).toBe(Date.UTC(2007, 0, 9, 0, 5));
    expect(parseRecordTime(t / 1000)).toBe(t);
    expect(parseRecordTime(t)).toBe(t);
    for (const bad of ['', 'yesterday', '2007-13-40T00:00:00Z', null, undefined, {}]) expect(parseRecordTime(bad)).toBeUndefined();
  });

  it('takes the time from time, else createdDateTime / activityDateTime; no usable time is a DecodeError', () => {
    const noTop = variant(signIn, (r: any) => delete r.time);
    expect(norm(noTop).time).toBe(Date.UTC(2024, 2, 12, 16, 2, 15, 552));
    const us = variant(signIn, (r: any) => (r.time = '3/12/2024 4:02:15 PM'));
    expect(norm(us).time).toBe(Date.UTC(2024, 2, 12, 16, 2, 15));
    const none = variant(signIn, (r: any) => {
      r.time = 'soon';
      delete r.properties.createdDateTime;
    });
    expect(() => norm(none)).toThrow(/no usable time/);
  });
});

describe('Azure Monitor tolerances', () => {
  it('Level number or level string -> Level number', () => {
    expect(f(norm(signIn)).Level).toBe(4);
    expect(f(norm(audit)).Level).toBe(4); // "level": "Informational"
    expect(f(norm(variant(signIn, (r: any) => (r.Level = 'Warning')))).Level).toBe(3);
  });

  it('result number or string -> "success" / "failure"', () => {
    expect(f(norm(audit)).properties.result).toBe('success'); // 0
    expect(f(norm(variant(audit, (r: any) => (r.properties.result = 1)))).properties.result).toBe('failure');
    expect(f(norm(variant(audit, (r: any) => (r.properties.result = 'Failure')))).properties.result).toBe('failure');
    expect(norm(variant(audit, (r: any) => (r.properties.result = 'timeout'))).cim.status).toBe('failure');
  });

  it('missing resultType is derived from status.errorCode; errorCode and durationMs become numbers', () => {
    const e = norm(variant(signIn, (r: any) => {
      delete r.resultType;
      r.durationMs = '17';
      r.properties.status.errorCode = '50053';
      r.properties.processingTimeInMilliseconds = '250';
    }));
    expect(f(e).resultType).toBe('50053');
    expect(f(e).durationMs).toBe(17);
    expect(f(e).properties.status.errorCode).toBe(50053);
    expect(e.cim).toMatchObject({ error_code: 50053, signature_id: '50053', duration: 0.25 });
    expect(f(norm(audit)).durationMs).toBe(0); // "0"
  });

  it('conditionsSatisfied: Azure Monitor flags become the Graph string, Graph strings stay', () => {
    const p = f(norm(signIn)).properties.appliedConditionalAccessPolicies[0];
    expect(p).toMatchObject({ conditionsSatisfied: 'application,users', conditionsSatisfiedCode: 3, conditionsNotSatisfied: 'none' });
    expect(conditionFlagsToString(4 | 8 | 1024)).toBe('devicePlatform,location,ipAddressSeenByAzureAD');
    const graph = fixtureRecord('signin.graph.json');
    expect(f(norm(graph, 'graph')).properties.appliedConditionalAccessPolicies[0].conditionsSatisfied).toBe('application,users');
  });

  it('userAgent null, "hidden" and "<null>" values are absent from cim but kept in raw and fields', () => {
    const e = norm(variant(signIn, (r: any) => {
      r.callerIpAddress = '<null>';
      r.properties.userAgent = null;
      r.properties.userPrincipalName = 'hidden';
      r.properties.location = { city: 'hidden', countryOrRegion: 'hidden' };
    }));
    expect(e.cim).not.toHaveProperty('user_agent');
    expect(e.cim).not.toHaveProperty('user');
    expect(e.cim).not.toHaveProperty('country');
    expect(e.cim).not.toHaveProperty('city');
    expect(e.cim.src).toBe('203.0.113.45'); // properties.ipAddress when callerIpAddress is "<null>"
    expect(f(e).properties.userPrincipalName).toBe('hidden');
    expect(Object.values(e.cim).every((v) => v !== '' && v !== null)).toBe(true);
  });

  it('modifiedProperties carry oldValueParsed / newValueParsed; raw is untouched', () => {
    const e = norm(audit);
    expect(f(e).properties.targetResources[0].modifiedProperties).toEqual([
      { displayName: 'AccountEnabled', oldValue: '[]', newValue: '[true]', oldValueParsed: [], newValueParsed: [true] },
      { displayName: 'UserPrincipalName', oldValue: '[]', newValue: '["carol@contoso.onmicrosoft.com"]', oldValueParsed: [], newValueParsed: ['carol@contoso.onmicrosoft.com'] },
      { displayName: 'Included Updated Properties', oldValue: null, newValue: '"AccountEnabled, UserPrincipalName"', oldValueParsed: null, newValueParsed: 'AccountEnabled, UserPrincipalName' },
    ]);
    const notJson = norm(variant(audit, (r: any) => (r.properties.targetResources[0].modifiedProperties = [{ displayName: 'X', oldValue: 'plain text', newValue: '[broken' }])));
    expect(f(notJson).properties.targetResources[0].modifiedProperties[0]).toMatchObject({ oldValueParsed: 'plain text', newValueParsed: '[broken' });
    expect((e.raw as any).properties.targetResources[0].modifiedProperties[0]).not.toHaveProperty('newValueParsed');
    expect(e.raw).toEqual(audit);
  });

  it('reads the legacy audit shape (category "Audit", targetUpdatedProperties)', () => {
    const legacy = {
      time: '2018-03-18T19:47:43.0368859Z',
      operationName: 'Update service principal.',
      operationVersion: '1.0',
      category: 'Audit',
      tenantId: 'bf85dc9d-cb43-44a4-80c4-469e8c58249e',
      resultType: 'Success',
      resultSignature: '-1',
      durationMs: '-1',
      callerIpAddress: '<null>',
      correlationId: '14916c7a-5a7d-44e8-9b06-74b49efb08ee',
      identity: 'NA',
      Level: 'Informational',
      properties: {
        identityType: 'NA',
        operationType: 'Update',
        additionalDetails: {},
        additionalTargets: '',
        targetUpdatedProperties: [
          { Name: 'Included Updated Properties', OldValue: null, NewValue: '' },
          { Name: 'TargetId.ServicePrincipalNames', OldValue: null, NewValue: '["http://app/primary"]' },
        ],
        targetResourceType: 'Other__ObjectID__ObjectClass__Name__AppId__SPN',
        targetResourceName: 'ServicePrincipal_ea70__ea70a262-4da3-440a-b396-9734ddfd9df2__ServicePrincipal__Salesforce__cd3e__http://app/primary',
        auditEventCategory: 'ApplicationManagement',
      },
    };
    const e = norm(legacy);
    expect(e).toMatchObject({ kind: 'audit', category: 'AuditLogs' });
    expect(e.id).toMatch(/^h:[0-9a-f]{64}$/);
    expect(f(e).Level).toBe(4);
    expect(f(e).properties.targetUpdatedProperties[1]).toMatchObject({ Name: 'TargetId.ServicePrincipalNames', oldValueParsed: null, newValueParsed: ['http://app/primary'] });
    expect(e.cim).toMatchObject({
      action: 'modified',
      status: 'success',
      change_type: 'ApplicationManagement',
      object: 'Salesforce',
      object_id: 'ea70a262-4da3-440a-b396-9734ddfd9df2',
      object_category: 'serviceprincipal',
      object_attrs: ['TargetId.ServicePrincipalNames'],
      dest: 'bf85dc9d-cb43-44a4-80c4-469e8c58249e',
    });
    expect(e.cim).not.toHaveProperty('src');
    expect((e.raw as any).category).toBe('Audit');
  });

  it('the same record gives the same hash id whatever its key order', () => {
    const a = { time: '2024-03-12T18:00:00Z', category: 'X', properties: { b: 1, a: [{ y: 2, x: 1 }] } };
    const b = { properties: { a: [{ x: 1, y: 2 }], b: 1 }, category: 'X', time: '2024-03-12T18:00:00Z' };
    expect(norm(a).id).toBe(norm(b).id);
    expect(norm(a).id).not.toBe(norm({ ...a, category: 'Y' }).id);
  });
});

describe('records without a category (Graph JSON, CSV)', () => {
  const graph = fixtureRecord('signin.graph.json');
  it('infers the sign-in category from content', () => {
    expect(norm(graph, 'graph').category).toBe('SignInLogs');
    expect(norm({ ...graph, isInteractive: false }, 'graph').category).toBe('NonInteractiveUserSignInLogs');
    expect(norm({ ...graph, signInEventTypes: ['managedIdentity'] }, 'graph').category).toBe('ManagedIdentitySignInLogs');
    const sp = { ...graph, userId: null, userPrincipalName: undefined, userDisplayName: undefined, servicePrincipalId: 'sp', servicePrincipalName: 'Daemon' };
    expect(norm(sp, 'graph').category).toBe('ServicePrincipalSignInLogs');
    const msi = { ...sp, managedServiceIdentity: { msiType: 'systemAssigned' } };
    expect(norm(msi, 'graph').category).toBe('ManagedIdentitySignInLogs');
  });

  it('infers audit, risk and other', () => {
    expect(norm(fixtureRecord('audit.graph.json'), 'graph').category).toBe('AuditLogs');
    expect(norm({ id: 'r', activityDateTime: '2024-03-12T18:00:00Z', riskEventType: 'anonymizedIPAddress', riskLevel: 'low' }, 'graph')).toMatchObject({ kind: 'risk', category: 'UserRiskEvents' });
    expect(norm({ id: 'u', riskLastUpdatedDateTime: '2024-03-12T18:00:00Z', riskLevel: 'low', riskState: 'atRisk' }, 'graph')).toMatchObject({ kind: 'risk', category: 'RiskyUsers' });
    expect(norm({ id: 'o', time: '2024-03-12T18:00:00Z', something: 1 }, 'graph')).toMatchObject({ kind: 'other', category: 'Unknown' });
  });

  it('an Azure Monitor record without category is inferred too', () => {
    const e = norm(variant(signIn, (r: any) => delete r.category));
    expect(e.category).toBe('SignInLogs');
  });
});

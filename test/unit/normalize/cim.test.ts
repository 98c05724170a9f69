// CIM values per kind, as the Splunk Add-on maps azure:monitor:aad (plus entrawatch's documented extras).
import { describe, expect, it } from 'vitest';
import { changeAction } from '../../../src/normalize/cim/change-action.js';
import { fixtureRecord, norm, variant } from './helpers.js';

const signIn = fixtureRecord('signin.eventhubs.json');
const audit = fixtureRecord('audit.eventhubs.json');

describe('sign-in CIM (Authentication)', () => {
  it('maps a failed interactive sign-in', () => {
    const e = norm(signIn);
    expect(e).toMatchObject({ id: '5e1d2c3b-aaaa-4bbb-8ccc-0123456789ab', kind: 'signin', category: 'SignInLogs', time: Date.UTC(2024, 2, 12, 16, 2, 15, 552) });
    expect(e.cim).toEqual({
      action: 'failure',
      status: 'failure',
      app: 'Contoso Web',
      app_id: '22222222-3333-4444-8555-666666666666',
      dest: '8f1a2b3c-0000-4000-8000-00000000b2c0',
      vendor_account: '8f1a2b3c-0000-4000-8000-00000000b2c0',
      dest_type: 'tenant',
      vendor_product: 'Azure AD',
      id: '5e1d2c3b-aaaa-4bbb-8ccc-0123456789ab',
      signature: 'Sign-in activity',
      command: 'Sign-in activity',
      signature_id: '50126',
      error_code: 50126,
      src: '203.0.113.45',
      src_ip: '203.0.113.45',
      user: 'alice@contoso.onmicrosoft.com',
      user_id: '11111111-2222-4333-8444-555555555555',
      user_type: 'Member',
      reason: 'Error validating credentials due to invalid username or password.',
      authentication_method: 'Interactive',
      is_interactive: true,
      authentication_service: 'AzureAD',
      authentication_protocol: 'ropc',
      user_agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edge/122.0',
      duration: 0.112,
      country: 'FR',
      city: 'Paris',
    });
  });

  it('success is error code 0, even with failureReason "Other."; no reason left empty', () => {
    const ok = norm(variant(signIn, (r: any) => {
      r.resultType = '0';
      r.properties.status = { errorCode: 0, failureReason: 'Other.' };
    }));
    expect(ok.cim).toMatchObject({ action: 'success', status: 'success', signature_id: '0', error_code: 0, reason: 'Other.' });
    const bare = norm(variant(signIn, (r: any) => {
      r.properties.status = { errorCode: 0, failureReason: '' };
    }));
    expect(bare.cim).not.toHaveProperty('reason');
  });

  it('service principal sign-in: user is the service principal, user_id its id, non-interactive', () => {
    const e = norm(variant(signIn, (r: any) => {
      r.category = 'ServicePrincipalSignInLogs';
      delete r.identity;
      Object.assign(r.properties, { userId: null, userPrincipalName: undefined, userDisplayName: undefined, isInteractive: false, servicePrincipalId: 'sp-1', servicePrincipalName: 'Contoso Daemon' });
    }));
    expect(e.kind).toBe('signin');
    expect(e.cim).toMatchObject({ user: 'Contoso Daemon', user_id: 'sp-1', user_type: 'ServicePrincipal', authentication_method: 'nonInteractive', is_interactive: false });
  });

  it('app falls back to "Azure AD"; every sign-in category is kind signin', () => {
    for (const category of ['SignInLogs', 'NonInteractiveUserSignInLogs', 'ServicePrincipalSignInLogs', 'ManagedIdentitySignInLogs']) {
      const e = norm(variant(signIn, (r: any) => {
        r.category = category;
        delete r.properties.appDisplayName;
      }));
      expect([e.kind, e.category, e.cim.app]).toEqual(['signin', category, 'Azure AD']);
    }
  });
});

describe('audit CIM (Change)', () => {
  it('maps "Add user" by an admin on a user', () => {
    const e = norm(audit);
    expect(e).toMatchObject({ id: 'Directory_VNXV4_28148892', kind: 'audit', category: 'AuditLogs' });
    expect(e.cim).toEqual({
      action: 'created',
      change_type: 'UserManagement',
      status: 'success',
      app: 'Azure AD',
      dvc: 'Core Directory',
      dest: '8f1a2b3c-0000-4000-8000-00000000b2c0',
      vendor_account: '8f1a2b3c-0000-4000-8000-00000000b2c0',
      dest_type: 'tenant',
      vendor_product: 'Azure AD',
      id: 'Directory_VNXV4_28148892',
      signature: 'Add user',
      command: 'Add user',
      src: '198.51.100.7',
      src_ip: '198.51.100.7',
      user: 'carol@contoso.onmicrosoft.com',
      user_id: '44444444-5555-4666-8777-888888888888',
      user_type: 'userPrincipal',
      src_user: 'bob@contoso.onmicrosoft.com',
      src_user_type: 'userPrincipal',
      object: 'carol@contoso.onmicrosoft.com',
      object_id: '44444444-5555-4666-8777-888888888888',
      object_category: 'user',
      object_attrs: ['AccountEnabled', 'UserPrincipalName'],
    });
  });

  it('B2C policy change by an app, failed, with a guest actor elsewhere', () => {
    const e = norm(variant(audit, (r: any) => {
      r.operationName = 'Update custom policy';
      r.callerIpAddress = '<null>';
      Object.assign(r.properties, {
        activityDisplayName: 'Update custom policy',
        category: 'Policy',
        loggedByService: 'B2C',
        result: 'failure',
        resultReason: 'Policy validation failed',
        operationType: 'Update',
        initiatedBy: { app: { appId: 'bb2a2e3a-c5e7-4f0a-88e0-8e01fd3fc1f4', displayName: 'CPIM Service', servicePrincipalId: 'sp-cpim' } },
        targetResources: [{ id: 'B2C_1A_signup_signin', displayName: 'B2C_1A_signup_signin', type: 'Policy', modifiedProperties: [] }],
        additionalDetails: [{ key: 'Client', value: 'PowerShell/7' }, { key: 'ClientIpAddress', value: '192.0.2.9' }],
      });
    }));
    expect(e.cim).toMatchObject({
      action: 'modified',
      status: 'failure',
      result: 'Policy validation failed',
      reason: 'Policy validation failed',
      dvc: 'B2C',
      src_user: 'CPIM Service',
      src_user_type: 'servicePrincipal',
      object: 'B2C_1A_signup_signin',
      object_category: 'policy',
      src: '192.0.2.9',
      user_agent: 'PowerShell/7',
    });
    expect(e.cim).not.toHaveProperty('user');
    expect(e.cim).not.toHaveProperty('object_attrs');
    const guest = norm(variant(audit, (r: any) => {
      r.properties.initiatedBy.user.userPrincipalName = 'eve_fabrikam.com#EXT#@contoso.onmicrosoft.com';
    }));
    expect(guest.cim.src_user_type).toBe('external identity');
  });

  it('action from operationName, else operationType', () => {
    expect(changeAction('Add user', undefined)).toBe('created');
    expect(changeAction('Create custom policy', undefined)).toBe('created');
    expect(changeAction('Delete user', undefined)).toBe('deleted');
    expect(changeAction('Hard Delete user', undefined)).toBe('deleted');
    expect(changeAction('Remove member from role', undefined)).toBe('deleted');
    expect(changeAction('Update user flow', undefined)).toBe('modified');
    expect(changeAction('Set Company Information', undefined)).toBe('modified');
    expect(changeAction('Change password (self-service)', undefined)).toBe('modified');
    expect(changeAction('Reset password (by admin)', undefined)).toBe('modified');
    expect(changeAction('Get custom policies', undefined)).toBe('read');
    expect(changeAction('Issue an id_token to the application', 'Assign')).toBe('modified');
    expect(changeAction('Issue an id_token to the application', '')).toBeUndefined();
    expect(changeAction('Consent to application', 'Add')).toBe('created');
  });
});

describe('risk and other kinds', () => {
  it('UserRiskEvents and RiskyUsers are kind risk with severity from riskLevel', () => {
    const detection = norm({
      time: '2024-03-12T18:00:00.1234567Z',
      operationName: 'User Risk Detection',
      category: 'UserRiskEvents',
      tenantId: 't1',
      properties: { id: 'det-1', riskEventType: 'userReportedSuspiciousActivity', riskLevel: 'high', riskState: 'atRisk', userPrincipalName: 'a@b.c', userId: 'u1', ipAddress: '192.0.2.1', location: { city: 'Lagos', countryOrRegion: 'NG' } },
    });
    expect(detection.kind).toBe('risk');
    expect(detection.cim).toMatchObject({ severity: 'high', user: 'a@b.c', user_id: 'u1', src: '192.0.2.1', signature: 'User Risk Detection', signature_id: 'User Risk Detection', description: 'atRisk, userReportedSuspiciousActivity', country: 'NG', app: 'Azure AD' });
    const risky = (updated: string) =>
      norm({ time: updated, operationName: 'Risky user', category: 'RiskyUsers', properties: { id: 'user-1', riskLevel: 'medium', riskState: 'atRisk', riskLastUpdatedDateTime: updated, userPrincipalName: 'a@b.c' } });
    const first = risky('2024-03-12T18:00:00Z');
    expect(first).toMatchObject({ kind: 'risk', category: 'RiskyUsers', cim: { severity: 'medium', description: 'atRisk' } });
    // the id of a RiskyUsers record is the user's id: each update is its own event
    expect(first.id).not.toBe(risky('2024-03-13T18:00:00Z').id);
  });

  it('unknown categories are kept as kind other with the shared CIM fields', () => {
    const e = norm({ time: '2024-03-12T18:00:00Z', category: 'ProvisioningLogs', operationName: 'Provisioning activity', tenantId: 't1', properties: { id: 'p1' } });
    expect(e).toMatchObject({ kind: 'other', category: 'ProvisioningLogs', id: 'p1' });
    expect(e.cim).toEqual({ dest: 't1', vendor_account: 't1', dest_type: 'tenant', vendor_product: 'Azure AD', id: 'p1', signature: 'Provisioning activity', command: 'Provisioning activity' });
    const none = norm({ time: '2024-03-12T18:00:00Z', category: 'B2CRequestLogs' });
    expect(none.kind).toBe('other');
  });
});

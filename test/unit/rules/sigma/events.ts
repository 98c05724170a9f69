/**
 * Hand-built EntraEvents for the rule tests: `fields` in the Azure Monitor record shape, `cim` as the
 * normalizer sets it for sourcetype azure:monitor:aad.
 */
import type { EntraEvent, EventKind } from '../../../../src/normalize/event.js';

let seq = 0;

export interface SigninOptions {
  errorCode?: number;
  failureReason?: string;
  additionalDetails?: string;
  user?: string;
  ip?: string;
  app?: string;
  time?: string;
  authenticationRequirement?: string;
  clientAppUsed?: string;
  userAgent?: string;
  riskState?: string;
  country?: string;
  isCompliant?: boolean;
  authenticationProtocol?: string;
  authenticationDetails?: Array<Record<string, unknown>>;
  extra?: Record<string, unknown>;
}

export function signinEvent(o: SigninOptions = {}): EntraEvent {
  const errorCode = o.errorCode ?? 0;
  const time = o.time ?? '2024-05-06T07:08:09.1234567Z';
  const user = o.user ?? 'alice@contoso.com';
  const ip = o.ip ?? '203.0.113.7';
  const status: Record<string, unknown> = { errorCode };
  if (o.failureReason !== undefined) status.failureReason = o.failureReason;
  if (o.additionalDetails !== undefined) status.additionalDetails = o.additionalDetails;
  const id = `signin-${++seq}`;
  const fields: Record<string, unknown> = {
    time,
    resourceId: '/tenants/00000000-0000-0000-0000-000000000001/providers/Microsoft.aadiam',
    operationName: 'Sign-in activity',
    operationVersion: '1.0',
    category: 'SignInLogs',
    tenantId: '00000000-0000-0000-0000-000000000001',
    resultType: String(errorCode),
    resultDescription: o.failureReason,
    durationMs: 0,
    callerIpAddress: ip,
    correlationId: 'c0ffee',
    identity: 'Alice',
    Level: 4,
    location: o.country ?? 'US',
    properties: {
      id,
      createdDateTime: time,
      userDisplayName: 'Alice',
      userPrincipalName: user,
      userId: 'u-1',
      appId: 'app-1',
      appDisplayName: o.app ?? 'ProxyIdentityExperienceFramework',
      ipAddress: ip,
      clientAppUsed: o.clientAppUsed ?? 'Browser',
      userAgent: o.userAgent ?? 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
      status,
      deviceDetail: { deviceId: '', operatingSystem: 'Windows 10', browser: 'Edge', isCompliant: o.isCompliant ?? false, trustType: '' },
      location: { city: 'Redmond', state: 'Washington', countryOrRegion: o.country ?? 'US' },
      authenticationRequirement: o.authenticationRequirement ?? 'singleFactorAuthentication',
      authenticationProtocol: o.authenticationProtocol ?? 'none',
      authenticationDetails: o.authenticationDetails ?? [
        { authenticationMethod: 'Password', succeeded: errorCode === 0, authenticationStepResultDetail: 'Correct password' },
      ],
      riskState: o.riskState ?? 'none',
      resourceDisplayName: 'Windows Azure Active Directory',
      ...o.extra,
    },
  };
  return {
    id,
    time: Date.parse(time),
    kind: 'signin',
    category: 'SignInLogs',
    raw: fields,
    format: 'azure-monitor',
    fields,
    cim: {
      action: errorCode === 0 ? 'success' : 'failure',
      app: o.app ?? 'ProxyIdentityExperienceFramework',
      user,
      src: ip,
      src_ip: ip,
      signature: 'Sign-in activity',
      dest: '00000000-0000-0000-0000-000000000001',
      vendor_product: 'Azure AD',
      ...(o.failureReason ? { reason: o.failureReason } : {}),
    },
  };
}

export interface AuditOptions {
  activity: string;
  category?: string;
  loggedByService?: string;
  result?: string;
  initiatedByUser?: string;
  initiatedByApp?: string;
  targets?: Array<Record<string, unknown>>;
  additionalDetails?: Array<{ key: string; value: string }>;
  time?: string;
  kind?: EventKind;
}

export function auditEvent(o: AuditOptions): EntraEvent {
  const time = o.time ?? '2024-05-06T07:08:09Z';
  const id = `Directory_${++seq}`;
  const initiatedBy: Record<string, unknown> = o.initiatedByApp
    ? { app: { appId: 'bb2a2e3a-c5e7-4f0a-88e0-8e01fd3fc1f4', displayName: o.initiatedByApp } }
    : { user: { id: 'u-9', userPrincipalName: o.initiatedByUser ?? 'admin@contoso.com', ipAddress: '198.51.100.4' } };
  const fields: Record<string, unknown> = {
    time,
    resourceId: '/tenants/00000000-0000-0000-0000-000000000001/providers/Microsoft.aadiam',
    operationName: o.activity,
    operationVersion: '1.0',
    category: 'AuditLogs',
    tenantId: '00000000-0000-0000-0000-000000000001',
    resultSignature: 'None',
    durationMs: 0,
    callerIpAddress: '<null>',
    correlationId: 'abc',
    Level: 4,
    properties: {
      id,
      category: o.category ?? 'UserManagement',
      correlationId: 'abc',
      result: o.result ?? 'success',
      resultReason: '',
      activityDisplayName: o.activity,
      activityDateTime: time,
      loggedByService: o.loggedByService ?? 'Core Directory',
      operationType: 'Update',
      initiatedBy,
      targetResources: o.targets ?? [],
      additionalDetails: o.additionalDetails ?? [],
    },
  };
  return {
    id,
    time: Date.parse(time),
    kind: o.kind ?? 'audit',
    category: 'AuditLogs',
    raw: fields,
    format: 'azure-monitor',
    fields,
    cim: {
      action: 'modified',
      command: o.activity,
      signature: o.activity,
      status: o.result ?? 'success',
      user: o.initiatedByUser ?? 'admin@contoso.com',
      src_user: o.initiatedByUser ?? 'admin@contoso.com',
      vendor_product: 'Azure AD',
    },
  };
}

export function riskEvent(o: { riskEventType: string; user?: string; ip?: string; time?: string }): EntraEvent {
  const time = o.time ?? '2024-05-06T07:08:09Z';
  const id = `risk-${++seq}`;
  const fields: Record<string, unknown> = {
    time,
    operationName: 'User Risk Detection',
    category: 'UserRiskEvents',
    tenantId: '00000000-0000-0000-0000-000000000001',
    properties: {
      id,
      riskEventType: o.riskEventType,
      riskLevel: 'medium',
      riskState: 'atRisk',
      detectionTimingType: 'realtime',
      ipAddress: o.ip ?? '185.220.101.1',
      userPrincipalName: o.user ?? 'alice@contoso.com',
      activityDateTime: time,
    },
  };
  return {
    id,
    time: Date.parse(time),
    kind: 'risk',
    category: 'UserRiskEvents',
    raw: fields,
    format: 'azure-monitor',
    fields,
    cim: { user: o.user ?? 'alice@contoso.com', src: o.ip ?? '185.220.101.1', signature: o.riskEventType },
  };
}

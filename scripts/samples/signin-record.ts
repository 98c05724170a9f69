/**
 * Builds sign-in records exactly as Azure Monitor diagnostic settings stream them (categories SignInLogs,
 * NonInteractiveUserSignInLogs, ServicePrincipalSignInLogs): top-level `time` with 7 fractional digits,
 * `resultType` as a string, `Level` 4, and the Graph signIn object under `properties`.
 */
import type { Rng } from './prng.js';
import { formatOffsetTime7, formatTime7, type Instant } from './time.js';
import { RESOURCE_ID, TENANT_ID, type App, type Client, type Place } from './world.js';

export type SignInCategory = 'SignInLogs' | 'NonInteractiveUserSignInLogs';

/** failureReason / resultDescription per error code, as Entra writes them. */
export const ERROR_TEXT: Record<number, string> = {
  50034: 'The user account does not exist in the contosob2c.onmicrosoft.com directory. To sign into this application, the account must be added to the directory.',
  50053: "The account is locked, you've tried to sign in too many times with an incorrect user ID or password.",
  50055: 'The password is expired.',
  50057: 'User account is disabled. The account has been disabled by an administrator.',
  50058: 'Session information is not sufficient for single-sign-on.',
  50074: 'Strong Authentication is required.',
  50076: 'Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.',
  50089: 'Flow token expired - Authentication Failed. Have the user try signing-in again with username -password.',
  50126: 'Error validating credentials due to invalid username or password.',
  50140: "This error occurred due to 'Keep me signed in' interrupt when the user was signing in.",
  53003: 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
  500121: 'Authentication failed during strong authentication request.',
  70043: 'The refresh token has expired or is invalid due to sign-in frequency checks by conditional access.',
  700082: 'The refresh token has expired due to inactivity.',
  7000215: 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
};

export interface SignInUser {
  upn: string;
  id: string;
  displayName: string;
}

export interface AuthStep {
  method: string;
  succeeded: boolean;
  detail: string;
  requirement: 'Primary authentication' | 'Multifactor authentication';
}

export interface AppliedPolicy {
  displayName: string;
  result: 'success' | 'failure' | 'notApplied';
  grantControls: string[];
}

export interface SignInSpec {
  at: Instant;
  category: SignInCategory;
  user: SignInUser;
  app: App;
  resource: App;
  place: Place;
  ip: string;
  client: Client;
  errorCode: number;
  /** status.additionalDetails (e.g. "MFA denied; fraud code entered") */
  additionalDetails?: string;
  authenticationRequirement?: 'singleFactorAuthentication' | 'multiFactorAuthentication';
  authenticationSteps?: AuthStep[];
  /** "none", "oAuth2", "ropc", ... */
  authenticationProtocol?: string;
  policies?: AppliedPolicy[];
  correlationId?: string;
}

export interface BuiltRecord {
  id: string;
  at: Instant;
  record: Record<string, unknown>;
}

function defaultSteps(spec: SignInSpec): AuthStep[] {
  const password: AuthStep = { method: 'Password', succeeded: true, detail: 'Correct password', requirement: 'Primary authentication' };
  switch (spec.errorCode) {
    case 0:
      return spec.authenticationRequirement === 'multiFactorAuthentication'
        ? [password, { method: 'Mobile app notification', succeeded: true, detail: 'MFA successfully completed', requirement: 'Multifactor authentication' }]
        : [password];
    case 50126:
      return [{ ...password, succeeded: false, detail: 'Invalid username or password or Invalid on-premise username or password.' }];
    case 50053:
      return [{ ...password, succeeded: false, detail: 'Account locked' }];
    case 50057:
      return [{ ...password, succeeded: false, detail: 'User account is disabled' }];
    default:
      return [password];
  }
}

export function buildSignIn(spec: SignInSpec, rng: Rng): BuiltRecord {
  const id = rng.uuid();
  const correlationId = spec.correlationId ?? rng.uuid();
  const created = formatOffsetTime7(spec.at);
  const failed = spec.errorCode !== 0;
  const reason = ERROR_TEXT[spec.errorCode];
  const status: Record<string, unknown> = { errorCode: spec.errorCode };
  if (failed) status.failureReason = reason ?? 'Other.';
  if (spec.additionalDetails) status.additionalDetails = spec.additionalDetails;
  const steps = spec.authenticationSteps ?? defaultSteps(spec);
  const policies = spec.policies ?? [];
  const caStatus = policies.length === 0 ? 'notApplied' : policies.some((p) => p.result === 'failure') ? 'failure' : 'success';
  const interactive = spec.category === 'SignInLogs';

  const properties: Record<string, unknown> = {
    id,
    createdDateTime: created,
    userDisplayName: spec.user.displayName,
    userPrincipalName: spec.user.upn,
    userId: spec.user.id,
    appId: spec.app.appId,
    appDisplayName: spec.app.displayName,
    ipAddress: spec.ip,
    clientAppUsed: spec.client.clientAppUsed,
    userAgent: spec.client.userAgent,
    correlationId,
    conditionalAccessStatus: caStatus,
    originalRequestId: id,
    isInteractive: interactive,
    tokenIssuerName: '',
    tokenIssuerType: 'AzureAD',
    processingTimeInMilliseconds: rng.int(40, 900),
    riskDetail: 'none',
    riskLevelAggregated: 'none',
    riskLevelDuringSignIn: 'none',
    riskState: 'none',
    riskEventTypes: [],
    riskEventTypes_v2: [],
    resourceDisplayName: spec.resource.displayName,
    resourceId: spec.resource.appId,
    resourceServicePrincipalId: spec.resource.servicePrincipalId,
    status,
    deviceDetail: {
      deviceId: '',
      displayName: '',
      operatingSystem: spec.client.operatingSystem,
      browser: spec.client.browser,
      isCompliant: false,
      isManaged: false,
      trustType: '',
    },
    location: {
      city: spec.place.city,
      state: spec.place.state,
      countryOrRegion: spec.place.country,
      geoCoordinates: {
        latitude: Math.round((spec.place.latitude + rng.gauss() * 0.02) * 1e4) / 1e4,
        longitude: Math.round((spec.place.longitude + rng.gauss() * 0.02) * 1e4) / 1e4,
      },
    },
    appliedConditionalAccessPolicies: policies.map((p, i) => ({
      id: `0c5e${String(i).padStart(4, '0')}-7a1b-4c2d-9e3f-${rng.hex(12)}`,
      displayName: p.displayName,
      enforcedGrantControls: p.grantControls,
      enforcedSessionControls: [],
      result: p.result,
    })),
    authenticationDetails: steps.map((s) => ({
      authenticationStepDateTime: created,
      authenticationMethod: s.method,
      authenticationMethodDetail: s.method === 'Password' ? 'Password in the cloud' : '',
      succeeded: s.succeeded,
      authenticationStepResultDetail: s.detail,
      authenticationStepRequirement: s.requirement,
    })),
    authenticationRequirement: spec.authenticationRequirement ?? 'singleFactorAuthentication',
    authenticationProtocol: spec.authenticationProtocol ?? 'none',
    userType: 'Member',
    crossTenantAccessType: 'none',
    incomingTokenType: interactive ? 'none' : 'refreshToken',
    clientCredentialType: 'none',
    uniqueTokenIdentifier: rng.alnum(22),
    homeTenantId: TENANT_ID,
    resourceTenantId: TENANT_ID,
    autonomousSystemNumber: spec.place.asn,
    flaggedForReview: false,
    servicePrincipalId: '',
  };

  const record: Record<string, unknown> = {
    time: formatTime7(spec.at),
    resourceId: RESOURCE_ID,
    operationName: 'Sign-in activity',
    operationVersion: '1.0',
    category: spec.category,
    tenantId: TENANT_ID,
    resultType: String(spec.errorCode),
    resultSignature: 'None',
    ...(failed ? { resultDescription: reason ?? 'Other.' } : {}),
    durationMs: 0,
    callerIpAddress: spec.ip,
    correlationId,
    identity: spec.user.displayName,
    Level: 4,
    location: spec.place.country,
    properties,
  };
  return { id, at: spec.at, record };
}

export interface ServicePrincipalSignInSpec {
  at: Instant;
  app: App;
  resource: App;
  place: Place;
  ip: string;
  errorCode: number;
  credential: 'clientSecret' | 'clientAssertion';
}

export function buildServicePrincipalSignIn(spec: ServicePrincipalSignInSpec, rng: Rng): BuiltRecord {
  const id = rng.uuid();
  const correlationId = rng.uuid();
  const failed = spec.errorCode !== 0;
  const reason = ERROR_TEXT[spec.errorCode];
  const properties: Record<string, unknown> = {
    id,
    createdDateTime: formatOffsetTime7(spec.at),
    appId: spec.app.appId,
    appDisplayName: spec.app.displayName,
    correlationId,
    ipAddress: spec.ip,
    isInteractive: false,
    userId: null,
    location: { city: spec.place.city, state: spec.place.state, countryOrRegion: spec.place.country },
    resourceDisplayName: spec.resource.displayName,
    resourceId: spec.resource.appId,
    resourceServicePrincipalId: spec.resource.servicePrincipalId,
    servicePrincipalId: spec.app.servicePrincipalId,
    servicePrincipalName: spec.app.displayName,
    status: failed ? { errorCode: spec.errorCode, failureReason: reason ?? 'Other.' } : { errorCode: 0 },
    clientCredentialType: spec.credential,
    servicePrincipalCredentialKeyId: rng.uuid(),
    uniqueTokenIdentifier: rng.alnum(22),
    homeTenantId: TENANT_ID,
    resourceTenantId: TENANT_ID,
    conditionalAccessStatus: 'notApplied',
    appliedConditionalAccessPolicies: [],
    autonomousSystemNumber: spec.place.asn,
  };
  const record: Record<string, unknown> = {
    time: formatTime7(spec.at),
    resourceId: RESOURCE_ID,
    operationName: 'Sign-in activity',
    operationVersion: '1.0',
    category: 'ServicePrincipalSignInLogs',
    tenantId: TENANT_ID,
    resultType: String(spec.errorCode),
    resultSignature: 'None',
    ...(failed ? { resultDescription: reason ?? 'Other.' } : {}),
    durationMs: 0,
    callerIpAddress: spec.ip,
    correlationId,
    Level: 4,
    location: spec.place.country,
    properties,
  };
  return { id, at: spec.at, record };
}

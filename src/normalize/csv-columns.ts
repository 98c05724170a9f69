/**
 * Portal CSV row (keyed by header name, see src/decode/csv.ts) -> Graph-shaped record (the same property names as
 * Graph JSON downloads and as `properties` of Azure Monitor records). Headers are matched case-insensitively with
 * runs of spaces collapsed; a repeated header (`Name#2`) fills the property only when the first one was empty;
 * empty cells set nothing. The maps below ARE the documentation of what each column becomes.
 */
import type { RecordFormat } from './event.js';
import { isObject, toBoolean, toNumber, type JsonObject } from './values.js';

type Conversion = 'string' | 'number' | 'boolean' | 'lower' | 'location' | 'caStatus' | 'signInStatus' | 'protocol';
interface Column {
  path: readonly string[];
  as: Conversion;
}
const col = (path: string, as: Conversion = 'string'): Column => ({ path: path.split('.'), as });

/** Interactive / non-interactive sign-in downloads (InteractiveSignIns_*.csv, NonInteractiveSignIns_*.csv). */
export const SIGNIN_COLUMNS: Readonly<Record<string, Column>> = {
  'date (utc)': col('createdDateTime'),
  date: col('createdDateTime'),
  'request id': col('id'),
  'user agent': col('userAgent'),
  'correlation id': col('correlationId'),
  'user id': col('userId'),
  user: col('userDisplayName'),
  username: col('userPrincipalName'),
  'user type': col('userType'),
  'cross tenant access type': col('crossTenantAccessType'),
  'incoming token type': col('incomingTokenType'),
  'authentication protocol': col('authenticationProtocol', 'protocol'), // "ROPC" -> ropc, "None" -> none
  'unique token identifier': col('uniqueTokenIdentifier'),
  'client credential type': col('clientCredentialType'),
  application: col('appDisplayName'),
  'application id': col('appId'),
  resource: col('resourceDisplayName'),
  'resource id': col('resourceId'),
  'resource tenant id': col('resourceTenantId'),
  'home tenant id': col('homeTenantId'),
  'ip address': col('ipAddress'),
  'ip address (seen by resource)': col('ipAddressFromResourceProvider'),
  location: col('location', 'location'), // "City, State, Country"
  status: col('status.errorCode', 'signInStatus'), // "Success" -> 0 when there is no error code column
  'sign-in error code': col('status.errorCode', 'number'),
  'failure reason': col('status.failureReason'),
  'additional details': col('status.additionalDetails'),
  'multifactor authentication result': col('status.additionalDetails'),
  'multifactor authentication auth method': col('mfaDetail.authMethod'),
  'multifactor authentication auth detail': col('mfaDetail.authDetail'),
  'client app': col('clientAppUsed'),
  'device id': col('deviceDetail.deviceId'),
  browser: col('deviceDetail.browser'),
  'operating system': col('deviceDetail.operatingSystem'),
  compliant: col('deviceDetail.isCompliant', 'boolean'),
  managed: col('deviceDetail.isManaged', 'boolean'),
  'join type': col('deviceDetail.trustType'),
  'authentication requirement': col('authenticationRequirement'),
  'sign-in identifier': col('signInIdentifier'),
  'sign-in identifier type': col('signInIdentifierType'),
  'session id': col('sessionId'),
  'autonomous system number': col('autonomousSystemNumber', 'number'),
  'flagged for review': col('flaggedForReview', 'boolean'),
  'token issuer type': col('tokenIssuerType'),
  'token issuer name': col('tokenIssuerName'),
  latency: col('processingTimeInMilliseconds', 'number'),
  'conditional access': col('conditionalAccessStatus', 'caStatus'), // "Not Applied" -> notApplied
  'service principal id': col('servicePrincipalId'),
  'service principal name': col('servicePrincipalName'),
  'managed identity type': col('managedServiceIdentity.msiType'),
  'is interactive': col('isInteractive', 'boolean'),
  interactive: col('isInteractive', 'boolean'),
};

/**
 * Sign-in authentication details downloads (InteractiveSignIns_AuthDetails_*.csv): one authentication step per row,
 * joined to its sign-in by `Request ID` (kept as `signInId`; the step has no id of its own, so its event id is a hash).
 */
export const AUTHDETAILS_COLUMNS: Readonly<Record<string, Column>> = {
  'request id': col('signInId'),
  'date (utc)': col('createdDateTime'),
  date: col('createdDateTime'),
  'correlation id': col('correlationId'),
  user: col('userDisplayName'),
  username: col('userPrincipalName'),
  'user id': col('userId'),
  'authentication method': col('authenticationDetails.0.authenticationMethod'),
  'authentication method detail': col('authenticationDetails.0.authenticationMethodDetail'),
  succeeded: col('authenticationDetails.0.succeeded', 'boolean'),
  'result detail': col('authenticationDetails.0.authenticationStepResultDetail'),
  requirement: col('authenticationDetails.0.authenticationStepRequirement'),
};

/**
 * One auth-details row as the Graph `authenticationDetails` entry it is (the row's `Date (UTC)` is the step's
 * time), plus the sign-in it belongs to: the shape Event Hubs and Graph carry inside the sign-in, so a joined CSV
 * sign-in reads like a streamed one.
 */
export function authenticationStepOfCsvRow(row: Record<string, unknown>): { signInId: string | undefined; step: JsonObject } {
  const g = graphRecordOfCsvRow(row, 'csv-signin-authdetails');
  const logged = Array.isArray(g.authenticationDetails) && isObject(g.authenticationDetails[0]) ? g.authenticationDetails[0] : {};
  const step: JsonObject = {};
  for (const [key, value] of [
    ['authenticationStepDateTime', g.createdDateTime],
    ['authenticationMethod', logged.authenticationMethod],
    ['authenticationMethodDetail', logged.authenticationMethodDetail],
    ['succeeded', logged.succeeded],
    ['authenticationStepResultDetail', logged.authenticationStepResultDetail],
    ['authenticationStepRequirement', logged.authenticationStepRequirement],
  ] as const) {
    if (value !== undefined) step[key] = value;
  }
  return { signInId: typeof g.signInId === 'string' ? g.signInId : undefined, step };
}

/** Audit downloads (AuditLogs_*.csv). Actor, Target<n>* and AdditionalDetail<n>* columns are handled below. */
export const AUDIT_COLUMNS: Readonly<Record<string, Column>> = {
  'date (utc)': col('activityDateTime'),
  date: col('activityDateTime'),
  id: col('id'),
  correlationid: col('correlationId'),
  'correlation id': col('correlationId'),
  service: col('loggedByService'),
  category: col('category'),
  activity: col('activityDisplayName'),
  'operation type': col('operationType'),
  operationtype: col('operationType'),
  result: col('result', 'lower'),
  resultreason: col('resultReason'),
  'result reason': col('resultReason'),
  'user agent': col('userAgent'),
};

/** Actor columns -> initiatedBy.user (ActorType User, or a UPN) or initiatedBy.app. */
const ACTOR_COLUMNS: Readonly<Record<string, string>> = {
  actortype: 'type',
  actordisplayname: 'displayName',
  actorobjectid: 'id',
  actoruserprincipalname: 'userPrincipalName',
  actorserviceprincipalname: 'servicePrincipalName',
  actorappid: 'appId',
  ipaddress: 'ipAddress',
  'ip address': 'ipAddress',
};

const TARGET = /^target(\d+)(type|displayname|objectid|userprincipalname|modifiedproperty(\d+)(name|oldvalue|newvalue))$/;
const TARGET_PROPERTY: Readonly<Record<string, string>> = {
  type: 'type',
  displayname: 'displayName',
  objectid: 'id',
  userprincipalname: 'userPrincipalName',
  name: 'displayName',
  oldvalue: 'oldValue',
  newvalue: 'newValue',
};
const DETAIL = /^additionaldetail(\d+)(key|value)$/;

const CA_STATUS: Readonly<Record<string, string>> = { success: 'success', failure: 'failure', 'not applied': 'notApplied', notapplied: 'notApplied' };

/**
 * Graph's protocolType values by their letters only: the portal writes labels ("None", "OAuth2", "ROPC") where Event
 * Hubs and Graph write the enum ("none", "oAuth2", "ropc"), and "None" would otherwise read as an absent value.
 * A label not listed is kept as written.
 */
const PROTOCOLS: ReadonlyMap<string, string> = new Map(
  ['none', 'oAuth2', 'ropc', 'wsFederation', 'saml20', 'deviceCode', 'authenticationTransfer', 'nativeAuth'].map((p) => [p.toLowerCase(), p]),
);

function convert(value: string, as: Conversion): unknown {
  switch (as) {
    case 'string':
      return value;
    case 'number':
      return toNumber(value) ?? value;
    case 'boolean':
      return toBoolean(value) ?? value;
    case 'lower':
      return value.toLowerCase();
    case 'caStatus':
      return Object.hasOwn(CA_STATUS, value.toLowerCase()) ? CA_STATUS[value.toLowerCase()] : value;
    case 'protocol':
      return PROTOCOLS.get(value.toLowerCase().replace(/[^a-z0-9]/g, '')) ?? value;
    case 'signInStatus':
      return value.toLowerCase() === 'success' ? 0 : undefined;
    case 'location':
      return undefined; // handled by setLocation
  }
}

/** Set target[path] unless something is there already (first non-empty duplicate wins). Keys are ours, not input. */
function setIfAbsent(target: JsonObject, path: readonly string[], value: unknown): void {
  if (value === undefined) return;
  let node: JsonObject | unknown[] = target;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i];
    const nextIsIndex = /^\d+$/.test(path[i + 1]);
    const holder = node as Record<string, unknown>;
    if (holder[key] === undefined) holder[key] = nextIsIndex ? [] : {};
    node = holder[key] as JsonObject | unknown[];
  }
  const last = path[path.length - 1];
  const holder = node as Record<string, unknown>;
  if (holder[last] === undefined) holder[last] = value;
}

function setLocation(target: JsonObject, value: string): void {
  if (target.location !== undefined) return;
  const parts = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const location: JsonObject = {};
  if (parts.length >= 3) {
    location.city = parts[0];
    location.state = parts.slice(1, -1).join(', ');
  } else if (parts.length === 2) {
    location.city = parts[0];
  }
  if (parts.length > 0) location.countryOrRegion = parts[parts.length - 1];
  target.location = location;
}

/** A header key of a row: canonical, duplicates suffixed #n -> the lowercase name used by the maps. */
function columnName(key: string): string {
  return key.replace(/#\d+$/, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

type Setter = (target: JsonObject, value: string, scratch: Scratch) => void;
interface Scratch {
  actor: Record<string, string>;
  targets: JsonObject[];
  details: JsonObject[];
}

function plainSetter(column: Column): Setter {
  if (column.as === 'location') return (t, v) => setLocation(t, v);
  return (t, v) => setIfAbsent(t, column.path, convert(v, column.as));
}

function auditExtraSetter(name: string): Setter | undefined {
  const actorKey = Object.hasOwn(ACTOR_COLUMNS, name) ? ACTOR_COLUMNS[name] : undefined;
  if (actorKey !== undefined) return (_t, v, s) => void (s.actor[actorKey] ??= v);
  const m = TARGET.exec(name);
  if (m) {
    const t = Number(m[1]) - 1;
    if (m[3] === undefined) {
      const key = TARGET_PROPERTY[m[2]];
      return (_t, v, s) => setIfAbsent(((s.targets[t] ??= {}) as JsonObject), [key], v);
    }
    const p = Number(m[3]) - 1;
    const key = TARGET_PROPERTY[m[4]];
    return (_t, v, s) => {
      const target = (s.targets[t] ??= {}) as JsonObject;
      const list = (target.modifiedProperties ??= []) as JsonObject[];
      setIfAbsent((list[p] ??= {}) as JsonObject, [key], v);
    };
  }
  const d = DETAIL.exec(name);
  if (d) {
    const i = Number(d[1]) - 1;
    const key = d[2];
    return (_t, v, s) => setIfAbsent(((s.details[i] ??= {}) as JsonObject), [key], v);
  }
  return undefined;
}

type CsvFormat = Extract<RecordFormat, 'csv-signin' | 'csv-signin-authdetails' | 'csv-audit'>;
type Plan = Array<[key: string, setter: Setter]>;
const plans = new Map<string, Plan>();

function planFor(format: CsvFormat, keys: string[]): Plan {
  const signature = format + '\u0000' + keys.join('\u0000');
  let plan = plans.get(signature);
  if (plan !== undefined) return plan;
  const table = format === 'csv-audit' ? AUDIT_COLUMNS : format === 'csv-signin' ? SIGNIN_COLUMNS : AUTHDETAILS_COLUMNS;
  plan = [];
  for (const key of keys) {
    const name = columnName(key);
    const column = Object.hasOwn(table, name) ? table[name] : undefined;
    const setter = column ? plainSetter(column) : format === 'csv-audit' ? auditExtraSetter(name) : undefined;
    if (setter) plan.push([key, setter]);
  }
  if (plans.size > 1000) plans.clear(); // header shapes are few; bound the cache anyway
  plans.set(signature, plan);
  return plan;
}

function buildInitiatedBy(actor: Record<string, string>): JsonObject | undefined {
  if (Object.keys(actor).length === 0) return undefined;
  const type = (actor.type ?? '').toLowerCase();
  const isApp = type.includes('app') || type.includes('serviceprincipal') || (type === '' && !actor.userPrincipalName);
  if (isApp) {
    const app: JsonObject = {};
    if (actor.displayName) app.displayName = actor.displayName;
    if (actor.id) app.servicePrincipalId = actor.id;
    if (actor.appId) app.appId = actor.appId;
    if (actor.servicePrincipalName) app.servicePrincipalName = actor.servicePrincipalName;
    return { app };
  }
  const user: JsonObject = {};
  if (actor.id) user.id = actor.id;
  if (actor.displayName) user.displayName = actor.displayName;
  if (actor.userPrincipalName) user.userPrincipalName = actor.userPrincipalName;
  if (actor.ipAddress) user.ipAddress = actor.ipAddress;
  return { user };
}

const dense = <T>(list: T[]): T[] => list.filter((x) => x !== undefined);

/** The Graph-shaped record of a portal CSV row. */
export function graphRecordOfCsvRow(row: Record<string, unknown>, format: CsvFormat): JsonObject {
  const keys = Object.keys(row);
  const plan = planFor(format, keys);
  const out: JsonObject = {};
  const scratch: Scratch = { actor: {}, targets: [], details: [] };
  for (const [key, setter] of plan) {
    const cell = row[key];
    if (typeof cell !== 'string') continue;
    const value = cell.trim();
    if (value.length > 0) setter(out, value, scratch);
  }
  if (format === 'csv-audit') {
    const initiatedBy = buildInitiatedBy(scratch.actor);
    if (initiatedBy) out.initiatedBy = initiatedBy;
    const targets = dense(scratch.targets).map((t) =>
      Array.isArray(t.modifiedProperties) ? { ...t, modifiedProperties: dense(t.modifiedProperties) } : t,
    );
    if (targets.length > 0) out.targetResources = targets;
    const details = dense(scratch.details).filter((d) => isObject(d) && d.key !== undefined);
    if (details.length > 0) out.additionalDetails = details;
  }
  return out;
}

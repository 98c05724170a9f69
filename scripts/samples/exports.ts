/**
 * The same day as the portal and Graph would hand it out, for offline analysis: portal CSV downloads
 * (InteractiveSignIns_*.csv and its InteractiveSignIns_AuthDetails_*.csv, NonInteractiveSignIns_*.csv,
 * AuditLogs_*.csv, with the portal's headers, including the padded `Application ID ` / `Resource ID ` and the
 * two-space `Autonomous system  number`) and Graph JSON
 * (signins.json as `{"value":[...]}`, audit.json as an array). Each holds a few hundred records copied from a
 * quiet slice of the Event Hubs samples (same ids), never a planted record, so every planted id stays unique.
 */
import type { SampleRecord } from './sample-set.js';
import { formatSeconds } from './time.js';

type Json = Record<string, unknown>;

export const SIGNIN_CSV_HEADERS = ['Date (UTC)', 'Request ID', 'User agent', 'Correlation ID', 'User ID', 'User',
  'Username', 'User type', 'Cross tenant access type', 'Incoming token type', 'Authentication Protocol',
  'Unique token identifier', 'Client credential type', 'Application', 'Application ID ', 'Resource', 'Resource ID ',
  'Resource tenant ID', 'Home tenant ID', 'IP address', 'Location', 'Status', 'Sign-in error code', 'Failure reason',
  'Client app', 'Device ID', 'Browser', 'Operating System', 'Compliant', 'Managed', 'Join Type',
  'Multifactor authentication result', 'Multifactor authentication auth method',
  'Multifactor authentication auth detail', 'Authentication requirement', 'Sign-in identifier', 'Session ID',
  'Autonomous system  number', 'Flagged for review', 'Token issuer type', 'Token issuer name', 'Latency',
  'Conditional Access'] as const;

/** InteractiveSignIns_AuthDetails_*.csv: one row per authentication step, joined to its sign-in on Request ID. */
export const AUTHDETAILS_CSV_HEADERS = ['Date (UTC)', 'Request ID', 'Correlation ID', 'User ID', 'User', 'Username',
  'Authentication method', 'Authentication method detail', 'Succeeded', 'Result detail', 'Requirement'] as const;

function auditCsvHeaders(): string[] {
  const h = ['Date (UTC)', 'CorrelationId', 'Service', 'Category', 'Activity', 'Result', 'ResultReason', 'User Agent',
    'ActorType', 'ActorDisplayName', 'ActorObjectId', 'ActorUserPrincipalName', 'IPAddress'];
  for (let t = 1; t <= 3; t++) {
    h.push(`Target${t}Type`, `Target${t}DisplayName`, `Target${t}ObjectId`, `Target${t}UserPrincipalName`);
    for (let m = 1; m <= 5; m++) h.push(`Target${t}ModifiedProperty${m}Name`, `Target${t}ModifiedProperty${m}OldValue`, `Target${t}ModifiedProperty${m}NewValue`);
  }
  for (let a = 1; a <= 6; a++) h.push(`AdditionalDetail${a}Key`, `AdditionalDetail${a}Value`);
  return h;
}
export const AUDIT_CSV_HEADERS: readonly string[] = auditCsvHeaders();

function csvCell(value: unknown): string {
  const s = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text as the portal writes it: UTF-8 with a byte-order mark, CRLF line ends. */
export function toCsv(headers: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  return `\ufeff${[headers, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

const PROTOCOL_LABEL: Record<string, string> = { none: 'None', oAuth2: 'OAuth2', ropc: 'ROPC' };
const REQUIREMENT_LABEL: Record<string, string> = {
  singleFactorAuthentication: 'Single-factor authentication', multiFactorAuthentication: 'Multifactor authentication',
};
const CA_LABEL: Record<string, string> = { notApplied: 'Not Applied', success: 'Success', failure: 'Failure' };

function statusLabel(errorCode: number): string {
  if (errorCode === 0) return 'Success';
  if ([50140, 50074, 50076, 50058].includes(errorCode)) return 'Interrupted';
  return 'Failure';
}

function signInCsvRow(r: SampleRecord): unknown[] {
  const p = r.record['properties'] as Json;
  const status = p['status'] as Json;
  const device = p['deviceDetail'] as Json;
  const location = p['location'] as Json;
  const steps = (p['authenticationDetails'] as Json[]) ?? [];
  const mfa = steps.find((s) => s['authenticationStepRequirement'] === 'Multifactor authentication');
  return [
    formatSeconds(r.at), p['id'], p['userAgent'], p['correlationId'], p['userId'], p['userDisplayName'],
    p['userPrincipalName'], 'Member', 'None', p['isInteractive'] ? 'None' : 'Refresh token',
    PROTOCOL_LABEL[String(p['authenticationProtocol'])] ?? 'None', p['uniqueTokenIdentifier'], 'None',
    p['appDisplayName'], p['appId'], p['resourceDisplayName'], p['resourceId'], p['resourceTenantId'], p['homeTenantId'],
    p['ipAddress'], `${location['city']}, ${location['state']}, ${location['countryOrRegion']}`,
    statusLabel(Number(status['errorCode'])), status['errorCode'], status['failureReason'] ?? '',
    p['clientAppUsed'], device['deviceId'], device['browser'], device['operatingSystem'],
    device['isCompliant'] ? 'True' : 'False', device['isManaged'] ? 'True' : 'False', device['trustType'],
    mfa ? mfa['authenticationStepResultDetail'] : '', mfa ? mfa['authenticationMethod'] : '', mfa ? mfa['authenticationMethodDetail'] : '',
    REQUIREMENT_LABEL[String(p['authenticationRequirement'])] ?? '', p['userPrincipalName'], p['correlationId'],
    p['autonomousSystemNumber'], p['flaggedForReview'] ? 'Yes' : 'No', p['tokenIssuerType'], p['tokenIssuerName'],
    p['processingTimeInMilliseconds'], CA_LABEL[String(p['conditionalAccessStatus'])] ?? '',
  ];
}

export function signInsCsv(records: readonly SampleRecord[]): string {
  return toCsv(SIGNIN_CSV_HEADERS, records.map(signInCsvRow));
}

/** The steps the Event Hubs record carries, one row each in step order (the portal's time is whole seconds). */
function authDetailsCsvRows(r: SampleRecord): unknown[][] {
  const p = r.record['properties'] as Json;
  const steps = (p['authenticationDetails'] as Json[]) ?? [];
  return steps.map((s) => [
    formatSeconds(r.at), p['id'], p['correlationId'], p['userId'], p['userDisplayName'], p['userPrincipalName'],
    s['authenticationMethod'], s['authenticationMethodDetail'] ?? '', s['succeeded'] ? 'True' : 'False',
    s['authenticationStepResultDetail'] ?? '', s['authenticationStepRequirement'] ?? '',
  ]);
}

export function authDetailsCsv(records: readonly SampleRecord[]): string {
  return toCsv(AUTHDETAILS_CSV_HEADERS, records.flatMap(authDetailsCsvRows));
}

function auditCsvRow(r: SampleRecord): unknown[] {
  const p = r.record['properties'] as Json;
  const by = p['initiatedBy'] as { user?: Json; app?: Json };
  const row: unknown[] = [
    formatSeconds(r.at), p['correlationId'], p['loggedByService'], p['category'], p['activityDisplayName'], p['result'],
    p['resultReason'], p['userAgent'] ?? '',
    by.user ? 'User' : 'Application',
    by.user ? by.user['displayName'] ?? '' : by.app?.['displayName'],
    by.user ? by.user['id'] : by.app?.['servicePrincipalId'],
    by.user ? by.user['userPrincipalName'] ?? '' : '',
    by.user ? by.user['ipAddress'] ?? '' : '',
  ];
  const targets = (p['targetResources'] as Json[]) ?? [];
  for (let t = 0; t < 3; t++) {
    const target = targets[t];
    row.push(target?.['type'] ?? '', target?.['displayName'] ?? '', target?.['id'] ?? '', target?.['userPrincipalName'] ?? '');
    const mps = (target?.['modifiedProperties'] as Json[] | undefined) ?? [];
    for (let m = 0; m < 5; m++) row.push(mps[m]?.['displayName'] ?? '', mps[m]?.['oldValue'] ?? '', mps[m]?.['newValue'] ?? '');
  }
  const details = (p['additionalDetails'] as Json[]) ?? [];
  for (let a = 0; a < 6; a++) row.push(details[a]?.['key'] ?? '', details[a]?.['value'] ?? '');
  return row;
}

export function auditCsv(records: readonly SampleRecord[]): string {
  return toCsv(AUDIT_CSV_HEADERS, records.map(auditCsvRow));
}

/** Graph signIn objects: the properties, with Graph's createdDateTime. */
export function graphSignIns(records: readonly SampleRecord[]): string {
  const value = records.map((r) => ({ ...(r.record['properties'] as Json), createdDateTime: formatSeconds(r.at) }));
  return `${JSON.stringify({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns', value }, null, 2)}\n`;
}

/** Graph directoryAudit objects, as the portal's JSON download (an array). */
export function graphAudits(records: readonly SampleRecord[]): string {
  const value = records.map((r) => {
    const p = r.record['properties'] as Json;
    return { ...p, activityDateTime: `${String(r.record['time'])}` };
  });
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * Benchmark: decode + normalize throughput, records/s on one core.
 * Input: samples/ when it holds files (read into memory first), else a generated in-memory set of realistic
 * Event Hubs messages ({"records":[...]} bodies of 100 records: 65% SignInLogs / NonInteractive, 25% AuditLogs with
 * modifiedProperties, 5% ServicePrincipal sign-ins, 5% risk). Runs a warm-up then timed rounds; prints the median
 * and writes bench/results/decode.json. The headline figure is records per CPU-second of this process (= one core,
 * and fair on a shared machine); records per wall-clock second is reported next to it.
 * Usage: npx tsx bench/decode.ts [--records 60000] [--rounds 5] [--generated]   (--generated: ignore samples/)
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decodeMessage } from '../src/decode/index.js';
import { normalizeRecord } from '../src/normalize/index.js';
import { sized, writeResult } from './lib/results.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const RECORDS = arg('records', sized(60_000, 20_000));
const ROUNDS = arg('rounds', sized(5, 2));
const PER_MESSAGE = 100;
const TENANT = '8f1a2b3c-0000-4000-8000-00000000b2c0';

let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
const uuid = () =>
  'xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx'.replace(/x/g, () => Math.floor(rand() * 16).toString(16));
const ip = () => `${20 + Math.floor(rand() * 200)}.${Math.floor(rand() * 255)}.${Math.floor(rand() * 255)}.${Math.floor(rand() * 255)}`;
const CODES = [0, 0, 0, 0, 0, 0, 50126, 50140, 50053, 50074, 53003, 500121];
const APPS = ['ProxyIdentityExperienceFramework', 'IdentityExperienceFramework', 'Contoso Web', 'Contoso Mobile', 'CPIM PowerShell Client'];
const CITIES: Array<[string, string, string]> = [['Paris', 'Paris', 'FR'], ['Seattle', 'Washington', 'US'], ['Berlin', 'Berlin', 'DE'], ['Lagos', 'Lagos', 'NG']];
const AUDITS = ['Add user', 'Update user', 'Delete user', 'Update custom policy', 'Issue an id_token to the application', 'Add member to role', 'Update policy'];

function isoAt(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '0000Z');
}

function signIn(t: number, category: string): Record<string, unknown> {
  const code = pick(CODES);
  const [city, state, country] = pick(CITIES);
  const address = ip();
  const user = `user${Math.floor(rand() * 5000)}@contoso.onmicrosoft.com`;
  const sp = category === 'ServicePrincipalSignInLogs';
  const failure = code === 0 ? {} : { failureReason: 'Error validating credentials due to invalid username or password.' };
  return {
    time: isoAt(t),
    resourceId: `/tenants/${TENANT}/providers/Microsoft.aadiam`,
    operationName: 'Sign-in activity',
    operationVersion: '1.0',
    category,
    tenantId: TENANT,
    resultType: String(code),
    resultSignature: 'None',
    resultDescription: failure.failureReason,
    durationMs: 0,
    callerIpAddress: address,
    correlationId: uuid(),
    identity: sp ? undefined : 'Some User',
    Level: 4,
    location: country,
    properties: {
      id: uuid(),
      createdDateTime: isoAt(t).replace('Z', '+00:00'),
      userDisplayName: sp ? undefined : 'Some User',
      userPrincipalName: sp ? undefined : user,
      userId: sp ? null : uuid(),
      appId: uuid(),
      appDisplayName: pick(APPS),
      ipAddress: address,
      clientAppUsed: 'Browser',
      userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0 Safari/537.36',
      correlationId: uuid(),
      conditionalAccessStatus: 'notApplied',
      appliedConditionalAccessPolicies: [
        { id: uuid(), displayName: 'Require MFA', enforcedGrantControls: ['Mfa'], enforcedSessionControls: [], result: 'notApplied', conditionsSatisfied: 3, conditionsNotSatisfied: 0 },
      ],
      isInteractive: category === 'SignInLogs',
      tokenIssuerType: 'AzureAD',
      authenticationProtocol: 'none',
      processingTimeInMilliseconds: Math.floor(rand() * 400),
      riskDetail: 'none',
      riskLevelAggregated: 'none',
      riskLevelDuringSignIn: 'none',
      riskState: 'none',
      riskEventTypes_v2: [],
      resourceDisplayName: 'Windows Azure Active Directory',
      resourceId: '00000002-0000-0000-c000-000000000000',
      resourceTenantId: TENANT,
      homeTenantId: TENANT,
      status: { errorCode: code, ...failure },
      deviceDetail: { deviceId: '', operatingSystem: 'Windows 10', browser: 'Chrome 122.0.0', isCompliant: false, isManaged: false },
      location: { city, state, countryOrRegion: country, geoCoordinates: { latitude: 48.85, longitude: 2.35 } },
      servicePrincipalId: sp ? uuid() : '',
      servicePrincipalName: sp ? 'Contoso Daemon' : undefined,
      userType: 'Member',
      authenticationRequirement: 'singleFactorAuthentication',
      authenticationDetails: [
        { authenticationStepDateTime: new Date(t).toISOString(), authenticationMethod: 'Password', succeeded: code === 0, authenticationStepResultDetail: code === 0 ? 'Correct password' : 'Invalid username or password', authenticationStepRequirement: 'Primary authentication' },
      ],
      autonomousSystemNumber: 3215,
      uniqueTokenIdentifier: uuid().replace(/-/g, ''),
      crossTenantAccessType: 'none',
      incomingTokenType: 'none',
      flaggedForReview: false,
    },
  };
}

function audit(t: number): Record<string, unknown> {
  const activity = pick(AUDITS);
  return {
    time: isoAt(t),
    resourceId: `/tenants/${TENANT}/providers/Microsoft.aadiam`,
    operationName: activity,
    operationVersion: '1.0',
    category: 'AuditLogs',
    tenantId: TENANT,
    resultSignature: 'None',
    durationMs: 0,
    callerIpAddress: ip(),
    correlationId: uuid(),
    identity: 'Bob Admin',
    Level: 4,
    properties: {
      id: `Directory_${uuid().slice(0, 5)}_${Math.floor(rand() * 1e8)}`,
      category: 'UserManagement',
      correlationId: uuid(),
      result: rand() < 0.95 ? 'success' : 'failure',
      resultReason: '',
      activityDisplayName: activity,
      activityDateTime: isoAt(t).replace('Z', '+00:00'),
      loggedByService: pick(['Core Directory', 'B2C']),
      operationType: 'Update',
      userAgent: null,
      initiatedBy: { user: { id: uuid(), displayName: 'Bob Admin', userPrincipalName: 'bob@contoso.onmicrosoft.com', ipAddress: ip() } },
      targetResources: [
        {
          id: uuid(),
          displayName: 'Carol',
          type: 'User',
          userPrincipalName: `carol${Math.floor(rand() * 100)}@contoso.onmicrosoft.com`,
          modifiedProperties: [
            { displayName: 'AccountEnabled', oldValue: '[false]', newValue: '[true]' },
            { displayName: 'StrongAuthenticationMethod', oldValue: '[]', newValue: '[{"MethodType":6,"Default":true}]' },
            { displayName: 'Included Updated Properties', oldValue: null, newValue: '"AccountEnabled, StrongAuthenticationMethod"' },
          ],
        },
      ],
      additionalDetails: [{ key: 'UserType', value: 'Member' }, { key: 'User-Agent', value: 'Mozilla/5.0' }],
    },
  };
}

function risk(t: number): Record<string, unknown> {
  return {
    time: isoAt(t),
    operationName: 'User Risk Detection',
    category: 'UserRiskEvents',
    tenantId: TENANT,
    Level: 4,
    properties: {
      id: uuid(),
      activityDateTime: new Date(t).toISOString(),
      riskEventType: 'unfamiliarFeatures',
      riskLevel: pick(['low', 'medium', 'high']),
      riskState: 'atRisk',
      userPrincipalName: 'user1@contoso.onmicrosoft.com',
      userId: uuid(),
      ipAddress: ip(),
      location: { city: 'Lagos', countryOrRegion: 'NG' },
    },
  };
}

function generated(): Buffer[] {
  const messages: Buffer[] = [];
  let t = Date.UTC(2024, 2, 12);
  for (let made = 0; made < RECORDS; ) {
    const records: unknown[] = [];
    for (let i = 0; i < PER_MESSAGE && made < RECORDS; i++, made++) {
      t += Math.floor(rand() * 2000);
      const r = rand();
      records.push(
        r < 0.45 ? signIn(t, 'SignInLogs') : r < 0.65 ? signIn(t, 'NonInteractiveUserSignInLogs') : r < 0.9 ? audit(t) : r < 0.95 ? signIn(t, 'ServicePrincipalSignInLogs') : risk(t),
      );
    }
    messages.push(Buffer.from(JSON.stringify({ records })));
  }
  return messages;
}

/** samples/eventhubs/*.json[.gz]: NDJSON of envelopes; each line is one Event Hubs message, inflated up front. */
function fromSamples(dir: string): Buffer[] {
  const hub = join(dir, 'eventhubs');
  if (!existsSync(hub)) return [];
  const messages: Buffer[] = [];
  for (const name of readdirSync(hub).sort()) {
    if (!/\.(json|ndjson|jsonl)(\.gz)?$/i.test(name) || !statSync(join(hub, name)).isFile()) continue;
    const raw = readFileSync(join(hub, name));
    const text = (name.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
    for (const line of text.split('\n')) if (line.trim().length > 0) messages.push(Buffer.from(line));
  }
  return messages;
}

/** Repeat the message set until one round holds at least `min` records. */
function atLeast(messages: Buffer[], min: number): Buffer[] {
  const count = messages.reduce((n, m) => n + decodeMessage(m, { source: 'count' }).length, 0);
  if (count === 0) return messages;
  const out: Buffer[] = [];
  for (let have = 0; have < min; have += count) out.push(...messages);
  return out;
}

const samplesDir = join(import.meta.dirname, '..', 'samples');
const fromDisk = existsSync(samplesDir) ? fromSamples(samplesDir) : [];
const messages = fromDisk.length > 0 && !process.argv.includes('--generated') ? atLeast(fromDisk, 50_000) : generated();
const input =
  messages !== fromDisk && fromDisk.length > 0 && !process.argv.includes('--generated')
    ? `samples/eventhubs (${fromDisk.length} messages, repeated to >= 50,000 records)`
    : `generated: ${RECORDS} records in ${messages.length} envelopes of ${PER_MESSAGE}`;
const bytes = messages.reduce((n, m) => n + m.length, 0);

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function round(): { records: number; failures: number; ms: number; cpu: number } {
  let records = 0;
  let failures = 0;
  const start = process.hrtime.bigint();
  const cpuStart = cpuMs();
  for (let i = 0; i < messages.length; i++) {
    const results = decodeMessage(messages[i], { source: 'bench', offset: String(i) });
    for (const r of results) {
      if (!r.ok) {
        failures++;
        continue;
      }
      try {
        normalizeRecord(r);
        records++;
      } catch {
        failures++;
      }
    }
  }
  return { records, failures, ms: Number(process.hrtime.bigint() - start) / 1e6, cpu: cpuMs() - cpuStart };
}

round(); // warm-up (JIT)
const runs = Array.from({ length: ROUNDS }, round);
const medianOf = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
const rates = runs.map((r) => (r.records / r.cpu) * 1000);
const wallRates = runs.map((r) => (r.records / r.ms) * 1000);
const median = medianOf([...rates]);
const cpuPerRound = medianOf(runs.map((r) => r.cpu));
const result = {
  name: 'decode',
  description: 'decodeMessage + normalizeRecord, one core, median of rounds',
  input,
  records: runs[0].records,
  failures: runs[0].failures,
  megabytes: Math.round((bytes / 1e6) * 10) / 10,
  rounds: ROUNDS,
  recordsPerSecond: Math.round(median),
  recordsPerWallSecond: Math.round(medianOf([...wallRates])),
  megabytesPerSecond: Math.round(((bytes / 1e6) / (cpuPerRound / 1000)) * 10) / 10,
  microsecondsPerRecord: Math.round((1e6 / median) * 100) / 100,
  allRoundsRecordsPerCpuSecond: rates.map(Math.round),
  loadAverage: (await import('node:os')).loadavg().map((l) => Math.round(l * 10) / 10),
  node: process.version,
  date: new Date().toISOString(),
};
console.log(
  `decode+normalize: ${result.recordsPerSecond.toLocaleString('en-US')} records per CPU-second ` +
    `(${result.megabytesPerSecond} MB/s, ${result.microsecondsPerRecord} µs/record; ` +
    `${result.recordsPerWallSecond.toLocaleString('en-US')} per wall second at load ${result.loadAverage[0]}), ` +
    `${input}, ${result.failures} failures`,
);
writeResult('decode', result);

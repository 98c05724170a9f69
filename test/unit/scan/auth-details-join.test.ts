/**
 * `scan` joins the portal's InteractiveSignIns_AuthDetails download to the sign-ins it belongs to (Request ID):
 * the steps become properties.authenticationDetails in file order, joined rows are not events of their own, rows
 * whose sign-in never came stay SignInAuthenticationDetails events and are counted, steps a sign-in already
 * carries win, and rules see the joined steps. Inputs are temporary files run through runScan.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScanConfig } from '../../../src/config/scan-config.js';
import type { EntraEvent } from '../../../src/normalize/event.js';
import { createRuleEngine } from '../../../src/runtime/create-engine.js';
import type { Detection } from '../../../src/rules/types.js';
import { runScan, type BadRecord, type DetectionEngine } from '../../../src/scan/run-scan.js';
import { renderSummaryTable } from '../../../src/scan/summary.js';
import { MemoryCounterStore } from '../../../src/state/index.js';

const root = join(import.meta.dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'ew-authdetails-'));
let files = 0;

/** Portal CSV text: BOM, CRLF, cells quoted when needed. */
function csv(headers: string[], rows: string[][]): string {
  const cell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return `\ufeff${[headers, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

function file(name: string, text: string): string {
  const path = join(dir, `${++files}-${name}`);
  writeFileSync(path, text);
  return path;
}

const SIGNIN_HEADERS = ['Date (UTC)', 'Request ID', 'Username', 'Application', 'IP address', 'Status', 'Sign-in error code', 'Failure reason', 'Multifactor authentication result'];

/** Interactive sign-ins: [time, id, error code, MFA result]. */
function signIns(rows: Array<[time: string, id: string, code: number, mfaResult?: string]>): string {
  return file(
    'InteractiveSignIns_2026-11-02_2026-11-03.csv',
    csv(SIGNIN_HEADERS, rows.map(([time, id, code, mfa]) => [
      time, id, 'ops-analyst@contosob2c.onmicrosoft.com', 'Contoso Portal', '203.0.113.7', code === 0 ? 'Success' : 'Failure', String(code),
      code === 0 ? '' : 'Strong Authentication is required.', mfa ?? '',
    ])),
  );
}

const AUTH_HEADERS = ['Date (UTC)', 'Request ID', 'Authentication method', 'Authentication method detail', 'Succeeded', 'Result detail', 'Requirement'];

/** Auth-details rows: [time, Request ID, method, succeeded, result detail, requirement]. */
type Step = [time: string, requestId: string, method: string, succeeded: 'True' | 'False', detail: string, requirement: string];
const stepRow = ([time, id, method, ok, detail, requirement]: Step) => [time, id, method, method === 'Password' ? 'Password in the cloud' : '', ok, detail, requirement];

function authDetails(steps: Step[], name = 'InteractiveSignIns_AuthDetails_2026-11-02_2026-11-03.csv'): string {
  return file(name, csv(AUTH_HEADERS, steps.map(stepRow)));
}

const T = '2026-11-02T08:00:00Z';
const password = (id: string, ok: 'True' | 'False' = 'True'): Step => [T, id, 'Password', ok, ok === 'True' ? 'Correct password' : 'Invalid username or password', 'Primary authentication'];
const mfa = (id: string, method: string, ok: 'True' | 'False', detail: string): Step => ['2026-11-02T08:00:09Z', id, method, ok, detail, 'Multifactor authentication'];

/** A detection engine that only keeps what it is given. */
class Recorder implements DetectionEngine {
  readonly events: EntraEvent[] = [];
  async processBatch(events: EntraEvent[]): Promise<Detection[]> {
    this.events.push(...events);
    return [];
  }
  async flush(): Promise<Detection[]> {
    return [];
  }
}

async function scan(paths: string[]) {
  const engine = new Recorder();
  const bad: BadRecord[] = [];
  const result = await runScan({ inputs: paths.map((path) => ({ path })), engine, sinks: [], onBadRecord: (b) => bad.push(b), batchSize: 2 });
  const byId = (id: string) => engine.events.find((e) => e.id === id);
  return { ...result, events: engine.events, bad, byId };
}

const stepsOf = (e: EntraEvent | undefined) => (e?.fields.properties as { authenticationDetails?: unknown } | undefined)?.authenticationDetails;

describe('scan: portal sign-ins joined with their AuthDetails download', () => {
  it('attaches the rows of each sign-in, by Request ID and in file order, as Graph authenticationDetails entries', async () => {
    const r = await scan([
      signIns([[T, 's1', 0], ['2026-11-02T08:01:00Z', 's2', 0], ['2026-11-02T08:02:00Z', 's3', 0]]),
      authDetails([
        password('s1'),
        password('s2'),
        mfa('s1', 'Text message', 'False', 'MFA denied; user did not respond'),
        mfa('s1', 'Phone call', 'True', 'MFA successfully completed'),
      ]),
    ]);
    expect(r.bad).toEqual([]);
    expect(stepsOf(r.byId('s1'))).toEqual([
      { authenticationStepDateTime: T, authenticationMethod: 'Password', authenticationMethodDetail: 'Password in the cloud', succeeded: true, authenticationStepResultDetail: 'Correct password', authenticationStepRequirement: 'Primary authentication' },
      { authenticationStepDateTime: '2026-11-02T08:00:09Z', authenticationMethod: 'Text message', succeeded: false, authenticationStepResultDetail: 'MFA denied; user did not respond', authenticationStepRequirement: 'Multifactor authentication' },
      { authenticationStepDateTime: '2026-11-02T08:00:09Z', authenticationMethod: 'Phone call', succeeded: true, authenticationStepResultDetail: 'MFA successfully completed', authenticationStepRequirement: 'Multifactor authentication' },
    ]);
    expect(stepsOf(r.byId('s2'))).toEqual([expect.objectContaining({ authenticationMethod: 'Password', succeeded: true })]);
    expect(r.byId('s3')).toBeDefined();
    expect(stepsOf(r.byId('s3'))).toBeUndefined();
    // the raw record stays the CSV row as read
    expect(r.byId('s1')!.raw).not.toHaveProperty('authenticationDetails');
  });

  it('does not emit joined rows again, and counts them in the summary', async () => {
    const r = await scan([signIns([[T, 's1', 0], [T, 's2', 0]]), authDetails([password('s1'), mfa('s1', 'Phone call', 'True', 'ok'), password('s2')])]);
    expect(r.events.map((e) => `${e.kind}/${e.category}`)).toEqual(['signin/SignInLogs', 'signin/SignInLogs']);
    expect(r.summary.records).toBe(2);
    expect(r.summary.byKindCategory).toEqual({ 'signin/SignInLogs': 2 });
    expect(r.summary.authDetails).toEqual({ joined: 3, unjoined: 0, signIns: 2 });
    expect(renderSummaryTable(r.summary)).toContain('Authentication details (portal AuthDetails CSV): 3 rows joined to their sign-in by Request ID (steps added to 2 sign-ins), 0 unjoined\n');
  });

  it('keeps rows whose sign-in never came as SignInAuthenticationDetails events, after the others, and counts them', async () => {
    const r = await scan([
      authDetails([password('gone-1', 'False'), password('s1'), mfa('gone-1', 'Text message', 'False', 'MFA denied'), password('gone-2')]),
      signIns([['2026-11-02T09:00:00Z', 's1', 0]]),
    ]);
    expect(r.bad).toEqual([]);
    expect(r.events.map((e) => e.kind)).toEqual(['signin', 'other', 'other', 'other']);
    const left = r.events.slice(1);
    expect(left.every((e) => e.category === 'SignInAuthenticationDetails' && e.format === 'csv-signin-authdetails')).toBe(true);
    expect(left.map((e) => (e.fields.properties as { signInId: string }).signInId)).toEqual(['gone-1', 'gone-1', 'gone-2']);
    expect(left.map((e) => e.origin?.line)).toEqual([2, 4, 5]);
    expect(r.summary.authDetails).toEqual({ joined: 1, unjoined: 3, signIns: 1 });
    expect(r.summary.byKindCategory).toEqual({ 'signin/SignInLogs': 1, 'other/SignInAuthenticationDetails': 3 });
    expect(renderSummaryTable(r.summary)).toMatch(/1 rows joined .* 3 unjoined \(no sign-in with their Request ID among the inputs: kept as SignInAuthenticationDetails events\)/);
  });

  it('without any sign-in input, every row is an event as before', async () => {
    const r = await scan([authDetails([password('a'), password('b')])]);
    expect(r.events.map((e) => e.category)).toEqual(['SignInAuthenticationDetails', 'SignInAuthenticationDetails']);
    expect(r.summary.authDetails).toEqual({ joined: 0, unjoined: 2, signIns: 0 });
  });

  it('a row without a Request ID can never join: it stays an event (and one without a date is reported, as before)', async () => {
    const path = file('auth.csv', csv(AUTH_HEADERS, [stepRow([T, '', 'Password', 'True', 'Correct password', 'Primary authentication']), ['', '', 'Password', 'True', '', '']]));
    const r = await scan([signIns([[T, 's1', 0]]), path]);
    expect(r.events.map((e) => e.category)).toEqual(['SignInLogs', 'SignInAuthenticationDetails']);
    expect(r.bad.map((b) => [b.origin.line, b.reason])).toEqual([[3, expect.stringMatching(/no usable time/)]]);
    expect(r.summary.authDetails).toEqual({ joined: 0, unjoined: 2, signIns: 0 });
  });

  it('keeps the steps a sign-in already carries (Event Hubs) and does not double them; an empty list is filled', async () => {
    const record = (id: string, steps: unknown[]) => ({
      time: T, category: 'SignInLogs', operationName: 'Sign-in activity', resultType: '0',
      properties: { id, createdDateTime: T, userPrincipalName: 'a@contosob2c.onmicrosoft.com', isInteractive: true, status: { errorCode: 0 }, authenticationDetails: steps },
    });
    const own = { authenticationStepDateTime: T, authenticationMethod: 'FIDO2 security key', succeeded: true, authenticationStepRequirement: 'Primary authentication' };
    const hub = file('hub.json', JSON.stringify({ records: [record('eh-1', [own]), record('eh-2', [])] }));
    const r = await scan([hub, authDetails([password('eh-1'), mfa('eh-1', 'Phone call', 'True', 'ok'), password('eh-2')])]);
    expect(stepsOf(r.byId('eh-1'))).toEqual([own]);
    expect(stepsOf(r.byId('eh-2'))).toEqual([expect.objectContaining({ authenticationMethod: 'Password' })]);
    expect(r.events).toHaveLength(2);
    expect(r.summary.authDetails).toEqual({ joined: 3, unjoined: 0, signIns: 1 });
  });

  it('gives the steps to every input holding the sign-in (the CSV and a Graph download of it)', async () => {
    const graph = file('signins.json', JSON.stringify({ value: [{ id: 's1', createdDateTime: T, userPrincipalName: 'a@contosob2c.onmicrosoft.com', status: { errorCode: 0 }, isInteractive: true }] }));
    const r = await scan([graph, signIns([[T, 's1', 0]]), authDetails([password('s1'), mfa('s1', 'Phone call', 'True', 'ok')])]);
    expect(r.events.map((e) => [e.format, (stepsOf(e) as unknown[] | undefined)?.length])).toEqual([['graph', 2], ['csv-signin', 2]]);
    expect(r.summary.authDetails).toEqual({ joined: 2, unjoined: 0, signIns: 2 });
  });

  it('tells the download by its header, not its name or place, with padded, doubled and reordered columns', async () => {
    const headers = ['Succeeded', ' Request  ID ', 'Authentication method', 'Authentication method', 'Result detail', 'Date (UTC)', 'Requirement', 'Comment'];
    const path = file('steps.csv', csv(headers, [
      ['False', 's1', '', 'Password', 'Invalid username or password', T, 'Primary authentication', 'x'],
      ['True', 's1', 'Text message', 'ignored duplicate', 'MFA completed, by SMS', T, 'Multifactor authentication', ''],
    ]));
    const r = await scan([path, signIns([[T, 's1', 50074]])]);
    expect(r.bad).toEqual([]);
    expect(stepsOf(r.byId('s1'))).toEqual([
      { authenticationStepDateTime: T, authenticationMethod: 'Password', succeeded: false, authenticationStepResultDetail: 'Invalid username or password', authenticationStepRequirement: 'Primary authentication' },
      { authenticationStepDateTime: T, authenticationMethod: 'Text message', succeeded: true, authenticationStepResultDetail: 'MFA completed, by SMS', authenticationStepRequirement: 'Multifactor authentication' },
    ]);
    expect(r.summary.authDetails?.joined).toBe(2);
  });

  it('leaves a scan without auth-details input as it was: no join line, the same events', async () => {
    const r = await scan([signIns([[T, 's1', 0]])]);
    expect(r.summary).not.toHaveProperty('authDetails');
    expect(renderSummaryTable(r.summary)).not.toContain('Authentication details');
    expect(stepsOf(r.byId('s1'))).toBeUndefined();
  });

  it('lets rules read the joined steps: PA-6 fires on a fraud report only the AuthDetails download holds', async () => {
    const config = loadScanConfig(join(root, 'entrawatch.example.yaml'));
    const run = async (paths: string[]) => {
      const engine = await createRuleEngine({
        rules: config.rules, placeholders: config.placeholders, store: new MemoryCounterStore(),
        rulePaths: [join(root, 'rules', 'privileged-accounts', 'pa-06-mfa-fraud-signin.yml')], resolveDns: false,
      });
      return (await runScan({ inputs: paths.map((path) => ({ path })), engine, sinks: [] })).detections;
    };
    const signIn = signIns([[T, 'fraud-1', 500121]]);
    const steps = authDetails([password('fraud-1'), mfa('fraud-1', 'Mobile app notification', 'False', 'MFA denied; Phone App Reported Fraud')]);
    expect(await run([signIn])).toEqual([]);
    const found = await run([signIn, steps]);
    expect(found.map((d) => [d.rule.seedRows, d.evidence.eventIds])).toEqual([[['PA-6'], ['fraud-1']]]);
  });
});

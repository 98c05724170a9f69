/**
 * Self-checks run on every generation: the background must contain no accidental instance of any row, and the
 * thresholds the planted scenarios rely on must hold (CPIM bursts per 10 minutes, password failures per account
 * and per app, steady hourly counts of the guide apps, privileged sign-ins inside the approved controls and
 * hours). A violation throws with a message naming the record, so a generator change cannot silently plant
 * false positives in the committed samples.
 */
import type { SampleRecord, SampleSet } from './sample-set.js';
import { RATE_PLAN, outcomeOf, signInFacts, type Outcome } from './steady-traffic.js';
import { HOUR, MINUTE } from './time.js';
import { APPROVED_ACTORS, APPS, OPERATING_COUNTRIES, PRIVILEGED, TENANT_DOMAIN } from './world.js';
import { CUSTOMER_NUMBER_PROPERTY } from './audit-kinds.js';

type Json = Record<string, unknown>;

const RARE_CODES = new Set([50053, 50057, 53003, 50074, 50076, 500121, 50140]);
const PRIVILEGED_UPNS = new Set<string>(PRIVILEGED.map((a) => a.upn));
const APPROVED_UPNS = new Set<string>(APPROVED_ACTORS.map((a) => a.upn));
const GUIDE_APPS = new Set<string>([APPS.proxyIef.displayName, APPS.cpimPowerShell.displayName]);
const CONSUMER_UPN = new RegExp(`^[0-9a-f-]{36}@${TENANT_DOMAIN.replace(/\./g, '\\.')}$`);
const SENSITIVE_ACTIVITIES = new Set([
  'add conditional access policy', 'update conditional access policy', 'delete conditional access policy',
  'create custom policy', 'update custom policy', 'delete custom policy', 'create user flow', 'update user flow',
  'delete user flow', 'create api connector', 'update api connector', 'delete api connector',
  'create identity provider', 'update identity provider', 'delete identity provider',
]);
const NEVER_IN_BACKGROUND = new Set([
  'add member to role', 'add eligible member to role', 'add scoped member to role', 'add delegated permission grant',
  'add app role assignment to service principal', 'consent to application', 'add owner to application',
  'fraud reported - user is blocked for mfa', 'fraud reported - no action taken', 'suspicious activity reported',
  'user registered security info', 'user deleted security info', 'admin registered security info',
  'change user password', 'reset user password', 'invite external user',
  'update application – certificates and secrets management',
]);
const RISKY_APP_PROPERTIES = new Set(['appaddress', 'appidentifieruri', 'logouturl', 'keydescription', 'federatedidentitycredentials']);

function fail(message: string, r?: SampleRecord): never {
  throw new Error(`sample self-check failed: ${message}${r ? ` (record ${r.id} at ${String(r.record['time'])})` : ''}`);
}

function props(r: SampleRecord): Json {
  return r.record['properties'] as Json;
}

function isApprovedAdminSignIn(p: Json): boolean {
  const location = p['location'] as Json;
  const device = p['deviceDetail'] as Json;
  const ip = String(p['ipAddress']);
  return ['US', 'CA'].includes(String(location['countryOrRegion']))
    && (ip.startsWith('203.0.113.') || ip.startsWith('2001:db8:100:'))
    && /^(Edge|Chrome) /.test(String(device['browser']))
    && ['Windows10', 'Windows 11', 'MacOs'].includes(String(device['operatingSystem']));
}

function checkSignIns(records: readonly SampleRecord[]): void {
  for (const r of records) {
    if (r.planted || r.stream === 'audit' || r.stream === 'serviceprincipal') continue;
    const f = signInFacts(r);
    if (!f) continue;
    const p = props(r);
    if (RARE_CODES.has(f.errorCode)) fail(`background sign-in with error ${f.errorCode}`, r);
    if (p['authenticationProtocol'] === 'ropc') fail('background ROPC sign-in', r);
    if (GUIDE_APPS.has(f.app) && f.errorCode !== 0 && !(OPERATING_COUNTRIES as readonly string[]).includes(f.country)) {
      fail(`background guide-app failure from ${f.country}`, r);
    }
    if (PRIVILEGED_UPNS.has(f.upn)) {
      if (f.errorCode !== 0) fail('background failure of a privileged account', r);
      if (!isApprovedAdminSignIn(p)) fail('background privileged sign-in outside the approved controls', r);
      const d = new Date(r.at.ms);
      if (d.getUTCDay() === 0 || d.getUTCDay() === 6 || d.getUTCHours() < 8 || d.getUTCHours() > 17) {
        fail('background privileged sign-in outside weekdays 08:00-17:59', r);
      }
    }
  }
}

function checkAudits(records: readonly SampleRecord[]): void {
  for (const r of records) {
    if (r.planted || r.stream !== 'audit') continue;
    const p = props(r);
    const activity = String(p['activityDisplayName']).toLowerCase();
    const by = p['initiatedBy'] as { user?: Json; app?: Json };
    if (NEVER_IN_BACKGROUND.has(activity)) fail(`background audit "${activity}"`, r);
    if (SENSITIVE_ACTIVITIES.has(activity) && !APPROVED_UPNS.has(String(by.user?.['userPrincipalName']))) {
      fail(`background "${activity}" by a non-approved actor`, r);
    }
    const targets = (p['targetResources'] as Json[]) ?? [];
    const mps = targets.flatMap((t) => (t['modifiedProperties'] as Json[]) ?? []);
    if (activity === 'update application' && mps.some((m) => RISKY_APP_PROPERTIES.has(String(m['displayName']).toLowerCase()))) {
      fail('background application change of a monitored property', r);
    }
    if (activity === 'add user') {
      const upn = String(targets[0]?.['userPrincipalName']);
      if (!CONSUMER_UPN.test(upn)) fail(`background "Add user" with UPN ${upn}`, r);
      if (!mps.some((m) => m['displayName'] === CUSTOMER_NUMBER_PROPERTY)) fail('background "Add user" without customer number', r);
      if (by.app?.['displayName'] !== APPS.cpimService.displayName) fail('background "Add user" not by CPIM Service', r);
    }
    if (['add user', 'update user', 'delete user', 'disable account'].includes(activity) && by.user && String(by.user['userPrincipalName']) !== 'it-admin@contosob2c.onmicrosoft.com' && by.user['userPrincipalName'] !== null) {
      fail('background account change by an administrator other than it-admin', r);
    }
    for (const d of (p['additionalDetails'] as Json[]) ?? []) {
      if (d['key'] === 'PolicyId' && !['B2C_1A_signup_signin', 'B2C_1A_onboarding'].includes(String(d['value']))) fail('background record with a non-approved policy', r);
    }
  }
}

/** Largest number of items in any window of `span` ms (times sorted ascending). */
function maxInWindow(times: number[], span: number): number {
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while (times[hi] - times[lo] >= span) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

function checkCpimBursts(set: SampleSet): void {
  const burst = new Set(set.scenarios.filter((s) => s.row === 'CA-1' && s.expect === 'fire').flatMap((s) => s.eventIds));
  for (const activity of ['Add user', 'Delete user']) {
    const times = set.records
      .filter((r) => r.stream === 'audit' && !burst.has(r.id) && r.record['operationName'] === activity
        && ((props(r)['initiatedBy'] as { app?: Json }).app?.['displayName'] === APPS.cpimService.displayName))
      .map((r) => r.at.ms).sort((a, b) => a - b);
    const max = maxInWindow(times, 10 * MINUTE);
    if (max >= 50) fail(`${max} "${activity}" by CPIM Service within 10 minutes outside the CA-1 burst`);
  }
}

function checkPasswordFailures(set: SampleSet): void {
  const planted = new Set(set.scenarios.filter((s) => s.row === 'CA-4' && s.expect === 'fire').flatMap((s) => s.eventIds));
  const byApp = new Map<string, Array<{ t: number; upn: string }>>();
  for (const r of set.records) {
    if (r.stream !== 'signin' || planted.has(r.id)) continue;
    const f = signInFacts(r);
    if (!f || f.errorCode !== 50126 || !GUIDE_APPS.has(f.app)) continue;
    const list = byApp.get(f.app) ?? [];
    list.push({ t: r.at.ms, upn: f.upn });
    byApp.set(f.app, list);
  }
  for (const [app, list] of byApp) {
    list.sort((a, b) => a.t - b.t);
    let lo = 0;
    const inWindow = new Map<string, number>();
    for (let hi = 0; hi < list.length; hi++) {
      inWindow.set(list[hi].upn, (inWindow.get(list[hi].upn) ?? 0) + 1);
      while (list[hi].t - list[lo].t >= 10 * MINUTE) {
        const n = inWindow.get(list[lo].upn)! - 1;
        if (n === 0) inWindow.delete(list[lo].upn);
        else inWindow.set(list[lo].upn, n);
        lo++;
      }
      if (inWindow.size >= 10) fail(`${inWindow.size} distinct accounts failing 50126 on ${app} within 10 minutes outside the CA-4 spray`);
      if ((inWindow.get(list[hi].upn) ?? 0) >= 5) fail(`one account failing 50126 5 times on ${app} within 10 minutes outside CA-4`);
    }
  }
}

/** Hourly counts of the guide apps vs the mean of the previous 6 hours. */
export function hourlyRates(set: SampleSet, day0: number, outcome: Outcome, app?: string): Array<{ hour: number; count: number; ratio: number }> {
  const counts = new Map<number, number>();
  for (const r of set.records) {
    if (r.stream !== 'signin' && r.stream !== 'history') continue;
    const f = signInFacts(r);
    if (!f || !GUIDE_APPS.has(f.app) || (app && f.app !== app) || outcomeOf(f.errorCode) !== outcome) continue;
    const slot = Math.floor((r.at.ms - day0) / HOUR);
    counts.set(slot, (counts.get(slot) ?? 0) + 1);
  }
  const out: Array<{ hour: number; count: number; ratio: number }> = [];
  for (let h = 0; h < 24; h++) {
    let sum = 0;
    for (let k = h - 6; k < h; k++) sum += counts.get(k) ?? 0;
    const mean = sum / 6;
    const count = counts.get(h) ?? 0;
    out.push({ hour: h, count, ratio: mean > 0 ? count / mean : Infinity });
  }
  return out;
}

function checkSteadyRates(set: SampleSet, day0: number, fullScale: boolean): void {
  for (const outcome of ['success', 'failure'] as const) {
    for (const app of [undefined, APPS.proxyIef.displayName]) {
      for (const { hour, count, ratio } of hourlyRates(set, day0, outcome, app)) {
        const fireHour = hour === RATE_PLAN[outcome].fire;
        if (!fireHour && ratio >= 1.1 && count >= 50) fail(`guide-app ${outcome}es of hour ${hour} are ${Math.round((ratio - 1) * 100)} % above the previous 6 hours (${app ?? 'both apps'})`);
        if (fireHour && fullScale && (ratio < 1.1 || count < 50)) fail(`planted ${outcome} hour ${hour} is only ${Math.round((ratio - 1) * 100)} % above (${count})`);
      }
    }
  }
}

export function runSelfChecks(set: SampleSet, day0: number, fullScale: boolean): void {
  checkSignIns(set.records);
  checkAudits(set.records);
  checkCpimBursts(set);
  checkPasswordFailures(set);
  checkSteadyRates(set, day0, fullScale);
}

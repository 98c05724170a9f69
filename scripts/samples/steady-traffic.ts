/**
 * Interactive sign-ins on the guide's B2C apps (ProxyIdentityExperienceFramework, CPIM PowerShell Client) with
 * hourly counts held steady (+-1.5 %) so that the rate rules CA-7 (failures) and CA-9 (successes) stay quiet,
 * except in the planted hours: +40 % (fire) and +5 % (near miss). Counts are per app and in total, and the
 * failures planted by other scenarios are part of the count (the background fills up to the target), so that
 * planting a spray or a lockout does not move an hour over the threshold. Every success also writes the B2C
 * audit trail a user journey leaves (credentials validated or federation, then the id_token issued).
 */
import { audit, consumerSignIn, type Context } from './context.js';
import type { Consumer } from './people.js';
import type { Rng } from './prng.js';
import type { SampleRecord, Stream } from './sample-set.js';
import { HOUR, instantAt } from './time.js';
import { APPS, FOREIGN_PLACES, TENANT_ID, type App } from './world.js';

/** Hourly targets of the guide apps at scale 1. */
export const STEADY_TARGETS = { success: 400, failure: 60, cpimSuccess: 20, cpimFailure: 4 } as const;

/** Failure codes of the guide apps and their share of the hourly failures. */
const FAILURE_MIX: ReadonlyArray<readonly [number, number]> = [[50126, 0.4], [50058, 0.25], [50089, 0.2], [50055, 0.15]];

/** The planted rate hours of the sample day (hour of day -> factor). */
export const RATE_PLAN = {
  failure: { fire: 15, nearMiss: 10 },
  success: { fire: 20, nearMiss: 13 },
  fireFactor: 1.4,
  nearMissFactor: 1.05,
} as const;

export type Outcome = 'success' | 'failure';

export function outcomeOf(errorCode: number): Outcome | undefined {
  if (errorCode === 0) return 'success';
  if (errorCode === 50140) return undefined;
  return 'failure';
}

export function signInFacts(r: SampleRecord): { app: string; errorCode: number; upn: string; country: string } | undefined {
  const p = r.record['properties'] as Record<string, unknown> | undefined;
  if (!p || typeof p['appDisplayName'] !== 'string') return undefined;
  const status = p['status'] as { errorCode: number };
  const location = p['location'] as { countryOrRegion?: string } | undefined;
  return { app: p['appDisplayName'], errorCode: status.errorCode, upn: String(p['userPrincipalName'] ?? ''), country: location?.countryOrRegion ?? '' };
}

const GUIDE_APP_NAMES = new Set([APPS.proxyIef.displayName, APPS.cpimPowerShell.displayName]);

/** Records of the guide apps in [from, to) of one stream. */
export function guideAppRecords(records: readonly SampleRecord[], stream: Stream, from: number, to: number): SampleRecord[] {
  return records.filter((r) => {
    if (r.stream !== stream || r.at.ms < from || r.at.ms >= to) return false;
    const f = signInFacts(r);
    return f !== undefined && GUIDE_APP_NAMES.has(f.app);
  });
}

function countBy(records: readonly SampleRecord[], app: App, outcome: Outcome, code?: number): number {
  let n = 0;
  for (const r of records) {
    const f = signInFacts(r);
    if (!f || f.app !== app.displayName || outcomeOf(f.errorCode) !== outcome) continue;
    if (code !== undefined && f.errorCode !== code) continue;
    n++;
  }
  return n;
}

function factorOf(hour: number, outcome: Outcome, planted: boolean): number {
  if (!planted) return 1;
  const plan = RATE_PLAN[outcome];
  if (hour === plan.fire) return RATE_PLAN.fireFactor;
  if (hour === plan.nearMiss) return RATE_PLAN.nearMissFactor;
  return 1;
}

function noise(rng: Rng): number {
  return Math.max(-0.015, Math.min(0.015, rng.gauss() * 0.006));
}

/** Splits `total` failures over the codes, minus the failures other scenarios already planted in the hour. */
function failureCodes(total: number, planted: ReadonlyMap<number, number>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let plantedTotal = 0;
  for (const n of planted.values()) plantedTotal += n;
  let left = Math.max(0, total - plantedTotal);
  for (const [code, share] of FAILURE_MIX) {
    const want = Math.max(0, Math.round(total * share) - (planted.get(code) ?? 0));
    const n = Math.min(want, left);
    out.push([code, n]);
    left -= n;
  }
  // whatever rounding left over goes to the most frequent non-password code
  if (left > 0) out[1][1] += left;
  return out;
}

export interface SteadyOptions {
  /** first hour (epoch ms, on the hour) and number of hours */
  from: number;
  hours: number;
  stream: Stream;
  /** apply the planted +40 % / +5 % hours (the sample day only) */
  planted: boolean;
  /** also write the B2C audit trail of each success */
  withAudits: boolean;
}

export interface RateHour {
  hour: number;
  outcome: Outcome;
  factor: number;
  eventIds: string[];
}

export function fillSteadyGuideTraffic(ctx: Context, options: SteadyOptions): RateHour[] {
  const rng = ctx.rng(`steady:${options.stream}:${options.from}`);
  const scale = ctx.options.scale;
  const result: RateHour[] = [];
  for (let i = 0; i < options.hours; i++) {
    const start = options.from + i * HOUR;
    const hour = new Date(start).getUTCHours();
    const existing = guideAppRecords(ctx.set.records, options.stream, start, start + HOUR);
    for (const outcome of ['success', 'failure'] as const) {
      const factor = factorOf(hour, outcome, options.planted);
      const base = outcome === 'success' ? STEADY_TARGETS.success : STEADY_TARGETS.failure;
      const cpimBase = outcome === 'success' ? STEADY_TARGETS.cpimSuccess : STEADY_TARGETS.cpimFailure;
      const total = Math.round(base * scale * factor * (1 + noise(rng)));
      const plantedCpim = countBy(existing, APPS.cpimPowerShell, outcome);
      const plantedProxy = countBy(existing, APPS.proxyIef, outcome);
      const cpimFill = Math.max(0, Math.round(cpimBase * scale) - plantedCpim);
      const proxyFill = Math.max(0, total - plantedProxy - plantedCpim - cpimFill);
      for (const [app, n] of [[APPS.cpimPowerShell, cpimFill], [APPS.proxyIef, proxyFill]] as const) {
        if (outcome === 'success') {
          for (let k = 0; k < n; k++) writeSuccess(ctx, rng, options, app, start + rng.int(0, HOUR - 1));
        } else {
          const planted = new Map<number, number>();
          for (const [code] of FAILURE_MIX) planted.set(code, countBy(existing, app, 'failure', code));
          const appTotal = n + countBy(existing, app, 'failure');
          for (const [code, count] of failureCodes(appTotal, planted)) {
            for (let k = 0; k < count; k++) {
              // password failures are spread evenly over the hour: a handful of distinct accounts per 10 minutes
              const t = code === 50126 ? start + Math.floor(((k + 0.2 + rng.next() * 0.6) / count) * HOUR) : start + rng.int(0, HOUR - 1);
              const consumer = ctx.consumers.pick();
              consumerSignIn(ctx, rng, options.stream, { consumer, app, at: instantAt(t, rng), errorCode: code }, false);
            }
          }
        }
      }
      if (options.planted && factor !== 1) {
        const ids = guideAppRecords(ctx.set.records, options.stream, start, start + HOUR)
          .filter((r) => outcomeOf(signInFacts(r)!.errorCode) === outcome)
          .map((r) => r.id);
        result.push({ hour, outcome, factor, eventIds: ids });
      }
    }
  }
  return result;
}

const RELYING_PARTIES = [APPS.shopWeb, APPS.shopWeb, APPS.mobileApp];

function writeSuccess(ctx: Context, rng: Rng, options: SteadyOptions, app: App, t: number): void {
  const consumer = ctx.consumers.pick();
  // about 1 % of the customers sign in while travelling (successes only: a failure abroad is CA-6)
  const place = rng.chance(0.01) ? rng.pick([FOREIGN_PLACES.JP, FOREIGN_PLACES.ES]) : undefined;
  consumerSignIn(ctx, rng, options.stream, { consumer, app, at: instantAt(t, rng), place }, false);
  if (!options.withAudits || app !== APPS.proxyIef) return;
  writeJourneyAudits(ctx, rng, consumer, t);
}

function writeJourneyAudits(ctx: Context, rng: Rng, consumer: Consumer, t: number): void {
  const rp = rng.pick(RELYING_PARTIES);
  const policy = rng.chance(0.9) ? 'B2C_1A_signup_signin' : 'B2C_1A_onboarding';
  const base: Array<[string, string]> = [['TenantId', TENANT_ID], ['PolicyId', policy], ['ApplicationId', rp.appId], ['Client', consumer.client.userAgent], ['ClientIpAddress', consumer.homeIp]];
  const actor = { kind: 'consumer' as const, id: consumer.id, ip: consumer.homeIp };
  const correlationId = rng.uuid();
  if (rng.chance(0.35)) {
    const social = consumer.idp !== 'local';
    audit(ctx, rng, {
      at: instantAt(t - rng.int(800, 3000), rng),
      activity: social ? 'Federate with an identity provider' : 'Validate local account credentials',
      category: 'Authentication', service: 'B2C', operationType: '', actor, correlationId,
      targets: [{ id: rp.appId, displayName: rp.displayName, type: 'Application' }],
      additionalDetails: social ? [...base, ['IdentityProviderName', consumer.idp.replace('.com', '')], ['IdentityProviderApplicationId', consumer.idp === 'facebook.com' ? '1234567890123456' : '123456789012-contosob2c.apps.googleusercontent.com']] : base,
    }, false);
  }
  if (rng.chance(0.45)) {
    audit(ctx, rng, {
      at: instantAt(t + rng.int(150, 1200), rng),
      activity: rng.chance(0.85) ? 'Issue an id_token to the application' : 'Issue an authorization code to the application',
      category: 'Authorization', service: 'B2C', operationType: '', actor, correlationId,
      targets: [{ id: rp.appId, displayName: rp.displayName, type: 'Application' }],
      additionalDetails: base,
    }, false);
  }
}

/**
 * What every part of the generator shares: the sample set, the day, the consumer pool, one random stream per
 * part, and small builders for the records the scenarios and the background write over and over
 * (a consumer sign-in, an administrator sign-in, an audit event by an actor).
 */
import { Rng } from './prng.js';
import { buildAudit, type Actor, type AuditSpec } from './audit-record.js';
import type { Consumer } from './people.js';
import { ConsumerPool } from './people.js';
import { SampleSet, type Stream } from './sample-set.js';
import {
  buildSignIn, type AppliedPolicy, type AuthStep, type SignInCategory, type SignInSpec,
} from './signin-record.js';
import { HOUR, MINUTE, dayStart, instantAt, type Instant } from './time.js';
import {
  ADMIN_CLIENTS, APPS, OFFICE_PLACES, SAMPLE_DAY, ipIn, type App, type Client, type Place, type StaffAccount,
} from './world.js';

export interface GeneratorOptions {
  seed: number;
  /** share of the background volume (1 = the committed samples; tests use less) */
  scale: number;
}

export class Context {
  readonly set = new SampleSet();
  readonly day0 = dayStart(SAMPLE_DAY);
  readonly consumers: ConsumerPool;
  private readonly root: Rng;

  constructor(readonly options: GeneratorOptions) {
    this.root = new Rng(options.seed);
    this.consumers = new ConsumerPool(Math.max(200, Math.round(6000 * options.scale)), this.root.fork('consumers'));
  }

  rng(label: string): Rng {
    return this.root.fork(label);
  }

  /** An instant on the sample day at hh:mm:ss (+ random milliseconds and ticks). */
  at(rng: Rng, hh: number, mm: number, ss = rng.int(0, 59)): Instant {
    return instantAt(this.day0 + hh * HOUR + mm * MINUTE + ss * 1000 + rng.int(0, 999), rng);
  }

  /** An instant `ms` milliseconds after another (random ticks). */
  after(rng: Rng, from: Instant, ms: number): Instant {
    return instantAt(from.ms + ms, rng);
  }
}

export interface ConsumerSignIn {
  consumer: Consumer;
  app: App;
  at: Instant;
  errorCode?: number;
  place?: Place;
  ip?: string;
  client?: Client;
  category?: SignInCategory;
  additionalDetails?: string;
  authenticationProtocol?: string;
  authenticationSteps?: AuthStep[];
  policies?: AppliedPolicy[];
}

/** The resource a consumer app signs in to. */
export function resourceOf(app: App): App {
  if (app === APPS.proxyIef || app === APPS.cpimPowerShell) return APPS.ief;
  if (app === APPS.mobileApp || app === APPS.kiosk) return APPS.ordersApi;
  return app;
}

export function consumerSignIn(ctx: Context, rng: Rng, stream: Stream, s: ConsumerSignIn, planted: boolean): string {
  const place = s.place ?? s.consumer.home;
  const spec: SignInSpec = {
    at: s.at,
    category: s.category ?? (stream === 'noninteractive' ? 'NonInteractiveUserSignInLogs' : 'SignInLogs'),
    user: s.consumer,
    app: s.app,
    resource: resourceOf(s.app),
    place,
    ip: s.ip ?? (s.place ? ipIn(place, rng) : s.consumer.homeIp),
    client: s.client ?? s.consumer.client,
    errorCode: s.errorCode ?? 0,
    additionalDetails: s.additionalDetails,
    authenticationProtocol: s.authenticationProtocol,
    authenticationSteps: s.authenticationSteps,
    policies: s.policies,
  };
  return ctx.set.add(stream, buildSignIn(spec, rng), planted);
}

export interface AdminSignIn {
  account: StaffAccount;
  at: Instant;
  errorCode?: number;
  app?: App;
  place?: Place;
  ip?: string;
  client?: Client;
  additionalDetails?: string;
  authenticationSteps?: AuthStep[];
  policies?: AppliedPolicy[];
  authenticationRequirement?: 'singleFactorAuthentication' | 'multiFactorAuthentication';
}

export const ADMIN_MFA_POLICY: AppliedPolicy = {
  displayName: 'Require MFA for administrators', result: 'success', grantControls: ['Mfa'],
};

/** A sign-in of a staff account, by default from the office with an approved device, MFA satisfied. */
export function adminSignIn(ctx: Context, rng: Rng, stream: Stream, s: AdminSignIn, planted: boolean): string {
  const place = s.place ?? OFFICE_PLACES.seattle;
  const app = s.app ?? APPS.azurePortal;
  const spec: SignInSpec = {
    at: s.at,
    category: 'SignInLogs',
    user: s.account,
    app,
    resource: app === APPS.azurePortal ? APPS.serviceManagement : APPS.graph,
    place,
    ip: s.ip ?? ipIn(place, rng, 0.3),
    client: s.client ?? ADMIN_CLIENTS[Math.abs(hashSmall(s.account.upn)) % ADMIN_CLIENTS.length],
    errorCode: s.errorCode ?? 0,
    additionalDetails: s.additionalDetails,
    authenticationRequirement: s.authenticationRequirement ?? 'multiFactorAuthentication',
    authenticationSteps: s.authenticationSteps,
    policies: s.policies ?? [ADMIN_MFA_POLICY],
  };
  return ctx.set.add(stream, buildSignIn(spec, rng), planted);
}

function hashSmall(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
  return h;
}

export function audit(ctx: Context, rng: Rng, spec: AuditSpec, planted: boolean): string {
  return ctx.set.add('audit', buildAudit(spec, rng), planted);
}

export function userActor(account: StaffAccount, rng: Rng): Actor {
  return { kind: 'user', account, ip: ipIn(OFFICE_PLACES.seattle, rng, 0) };
}

export function appActor(app: App): Actor {
  return { kind: 'app', app };
}

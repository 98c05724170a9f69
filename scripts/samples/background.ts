/**
 * The ordinary day of the tenant around the planted scenarios: Contoso Shop Web sign-ins and Contoso Mobile App
 * token refreshes (non-interactive) following a daily curve, service-principal sign-ins of the daemons, sign-ups
 * (B2C record + "Add user" by CPIM Service), deletions and profile updates by CPIM Service, SMS verifications,
 * administrators signing in from the offices during working hours and approved administrators doing routine
 * work. Nothing here may match a rule row: no lockouts, no disabled accounts, no failure of a privileged account,
 * no change by a non-approved actor, no guide-app failure from abroad (checked by ./checks.ts).
 */
import { prop } from './audit-record.js';
import {
  addUser, applicationChange, b2cConfigChange, deleteUser, signUpCompleted, updateUser,
} from './audit-kinds.js';
import { adminSignIn, appActor, audit, consumerSignIn, userActor, type Context } from './context.js';
import type { Rng } from './prng.js';
import { buildServicePrincipalSignIn } from './signin-record.js';
import { HOUR, MINUTE, instantAt } from './time.js';
import { APPS, FOREIGN_PLACES, OFFICE_PLACES, STAFF, TENANT_ID, WORKING_ADMINS, ipIn, type App } from './world.js';

/** Relative traffic per UTC hour (customers in North America and Europe). */
export const DAILY_CURVE = [0.45, 0.36, 0.3, 0.28, 0.3, 0.38, 0.55, 0.75, 0.95, 1.05, 1.1, 1.15,
  1.2, 1.25, 1.3, 1.35, 1.4, 1.45, 1.4, 1.3, 1.2, 1.0, 0.8, 0.6];
const CURVE_SUM = DAILY_CURVE.reduce((a, b) => a + b, 0);

/** Spreads `perDay` events over the day along the curve; calls `emit` with each time. */
function alongCurve(ctx: Context, rng: Rng, perDay: number, emit: (t: number) => void): void {
  for (let h = 0; h < 24; h++) {
    const n = Math.round((perDay * ctx.options.scale * DAILY_CURVE[h]) / CURVE_SUM);
    for (let k = 0; k < n; k++) emit(ctx.day0 + h * HOUR + rng.int(0, HOUR - 1));
  }
}

function shopSignIns(ctx: Context): void {
  const rng = ctx.rng('background:shop');
  alongCurve(ctx, rng, 3200, (t) => {
    const consumer = ctx.consumers.pick();
    const failed = rng.chance(0.05);
    const errorCode = failed ? rng.weighted([[50126, 60], [50058, 20], [50089, 20]] as const) : 0;
    const place = !failed && rng.chance(0.015) ? rng.pick([FOREIGN_PLACES.JP, FOREIGN_PLACES.ES]) : undefined;
    consumerSignIn(ctx, rng, 'signin', { consumer, app: APPS.shopWeb, at: instantAt(t, rng), errorCode, place, authenticationProtocol: 'oAuth2' }, false);
  });
}

function mobileRefreshes(ctx: Context): void {
  const rng = ctx.rng('background:mobile');
  alongCurve(ctx, rng, 3600, (t) => {
    const consumer = ctx.consumers.pick();
    const errorCode = rng.chance(0.03) ? rng.pick([70043, 700082]) : 0;
    consumerSignIn(ctx, rng, 'noninteractive', {
      consumer, app: APPS.mobileApp, at: instantAt(t, rng), errorCode, authenticationProtocol: 'oAuth2',
      client: { ...consumer.client, clientAppUsed: 'Mobile Apps and Desktop clients' },
    }, false);
  });
}

function servicePrincipalSignIns(ctx: Context): void {
  const rng = ctx.rng('background:sp');
  const every = (app: App, minutes: number, from: number, to: number, failRate: number) => {
    for (let t = ctx.day0 + from * HOUR + rng.int(0, minutes * MINUTE); t < ctx.day0 + to * HOUR; t += minutes * MINUTE) {
      if (!rng.chance(Math.min(1, ctx.options.scale * 1.2))) continue;
      const built = buildServicePrincipalSignIn({
        at: instantAt(t + rng.int(0, 20_000), rng), app, resource: APPS.graph, place: OFFICE_PLACES.seattle,
        ip: ipIn(OFFICE_PLACES.seattle, rng, 0), errorCode: rng.chance(failRate) ? 7000215 : 0,
        credential: app === APPS.syncService ? 'clientAssertion' : 'clientSecret',
      }, rng);
      ctx.set.add('serviceprincipal', built, false);
    }
  };
  every(APPS.reportingDaemon, 15, 0, 24, 0);
  every(APPS.syncService, 5, 0, 24, 0.01);
  every(APPS.migrationTool, 10, 2, 4, 0);
}

function consumerLifecycle(ctx: Context): void {
  const rng = ctx.rng('background:lifecycle');
  const cpim = appActor(APPS.cpimService);
  // sign-ups: the B2C record, then "Add user" by CPIM Service
  alongCurve(ctx, rng, 420, (t) => {
    const c = ctx.consumers.take();
    const correlationId = rng.uuid();
    const policyId = rng.chance(0.85) ? 'B2C_1A_signup_signin' : 'B2C_1A_onboarding';
    const at = instantAt(t, rng);
    signUpCompleted(ctx, rng, { at, consumerId: c.id, ip: c.homeIp, policyId, app: rng.pick([APPS.shopWeb, APPS.mobileApp]), correlationId });
    addUser(ctx, rng, { at: instantAt(t + rng.int(150, 900), rng), actor: cpim, account: c, customerNumber: c.customerNumber, correlationId });
  });
  // account deletions requested by customers
  alongCurve(ctx, rng, 45, (t) => {
    deleteUser(ctx, rng, { at: instantAt(t, rng), actor: cpim, account: ctx.consumers.take() });
  });
  // profile edits
  alongCurve(ctx, rng, 150, (t) => {
    const c = ctx.consumers.pick();
    const newName = `${c.displayName.split(' ')[0]} ${rng.pick(['Martin', 'Clark', 'Lambert', 'Visser', 'Evans'])}`;
    updateUser(ctx, rng, { at: instantAt(t, rng), actor: cpim, account: c, props: [prop('DisplayName', [c.displayName], [newName])] });
  });
  // phone verification during MFA enrolment of customers
  alongCurve(ctx, rng, 60, (t) => {
    const c = ctx.consumers.pick();
    audit(ctx, rng, {
      at: instantAt(t, rng), activity: 'Send SMS to verify phone number', category: 'Authentication', service: 'B2C', operationType: '',
      actor: { kind: 'consumer', id: c.id, ip: c.homeIp },
      targets: [{ id: c.id, displayName: null, type: 'User' }],
      additionalDetails: [['TenantId', TENANT_ID], ['PolicyId', 'B2C_1A_signup_signin'], ['ClientIpAddress', c.homeIp]],
    }, false);
  });
}

function staffDay(ctx: Context): void {
  const rng = ctx.rng('background:staff');
  // administrators and staff sign in from the offices during working hours, with approved devices
  for (const account of [...WORKING_ADMINS, STAFF.helpdesk, STAFF.analyst, STAFF.contractor]) {
    const sessions = rng.int(3, 5);
    for (let s = 0; s < sessions; s++) {
      const hh = rng.int(8, 17);
      adminSignIn(ctx, rng, 'signin', {
        account, at: ctx.at(rng, hh, rng.int(0, 59)),
        place: rng.chance(0.7) ? OFFICE_PLACES.seattle : OFFICE_PLACES.toronto,
        app: rng.chance(0.8) ? APPS.azurePortal : APPS.azurePowerShell,
      }, false);
    }
  }
  // routine work of the approved actors
  const it = () => userActor(STAFF.itAdmin, rng);
  const idp = () => userActor(STAFF.idpAdmin, rng);
  for (const [hh, mm] of [[8, 14], [9, 2], [13, 33], [16, 48]] as const) {
    b2cConfigChange(ctx, rng, { at: ctx.at(rng, hh, mm), activity: 'Get custom policies', object: 'custom policy', name: 'B2C_1A_TrustFrameworkBase', actor: rng.chance(0.5) ? it() : idp() });
  }
  b2cConfigChange(ctx, rng, { at: ctx.at(rng, 8, 47), activity: 'Create policy key', object: 'policy key', name: 'B2C_1A_FacebookSecret2026', actor: idp() });
  b2cConfigChange(ctx, rng, { at: ctx.at(rng, 8, 49), activity: 'Upload secret into policy key', object: 'policy key', name: 'B2C_1A_FacebookSecret2026', actor: idp() });
  b2cConfigChange(ctx, rng, { at: ctx.at(rng, 15, 12), activity: 'Update custom policy', object: 'custom policy', name: 'B2C_1A_TrustFrameworkExtensions', actor: it() });
  b2cConfigChange(ctx, rng, { at: ctx.at(rng, 15, 58), activity: 'Update user flow', object: 'user flow', name: 'B2C_1_signup_signin_v2', actor: it() });
  for (const [hh, mm] of [[11, 21], [16, 2]] as const) {
    const c = ctx.consumers.pick();
    updateUser(ctx, rng, { at: ctx.at(rng, hh, mm), actor: it(), account: c, props: [prop('Mail', [], [`${c.displayName.split(' ')[0].toLowerCase()}@example.net`])] });
  }
  applicationChange(ctx, rng, { at: ctx.at(rng, 9, 37), actor: it(), app: APPS.ordersApi, props: [prop('Tags', ['prod'], ['prod', 'pci'])] });
  applicationChange(ctx, rng, { at: ctx.at(rng, 14, 52), actor: it(), app: APPS.syncService, props: [prop('Tags', [], ['owner:it'])] });
}

export function generateBackground(ctx: Context): void {
  shopSignIns(ctx);
  mobileRefreshes(ctx);
  servicePrincipalSignIns(ctx);
  consumerLifecycle(ctx);
  staffDay(ctx);
}

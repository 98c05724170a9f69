/**
 * Planted instances of the guide's consumer-account rows CA-1..CA-6 and CA-8 (CA-7 / CA-9 are hours of the
 * steady guide-app traffic, see ../steady-traffic.ts): each with at least one instance that must fire and one
 * near miss that must not, on accounts no other scenario or background record uses, at times far enough apart
 * that no correlation mixes them.
 */
import { addUser, deleteUser, roleAssignment, ROLES, signUpCompleted } from '../audit-kinds.js';
import { appActor, consumerSignIn, userActor, type Context } from '../context.js';
import type { Consumer } from '../people.js';
import type { Rng } from '../prng.js';
import { MINUTE } from '../time.js';
import { APPS, FOREIGN_PLACES, HOME_PLACES, STAFF, VIP_UPN, ipIn, type App, type Place } from '../world.js';

const SECOND = 1000;

function homeIn(country: string): Place {
  const found = HOME_PLACES.find(([p]) => p.country === country);
  if (!found) throw new Error(`no home place in ${country}`);
  return found[0];
}

/** n sign-ins of one consumer with one error code, `gapMs` apart (with jitter). */
function failures(ctx: Context, rng: Rng, consumer: Consumer, app: App, startMs: number, n: number, gapMs: number, errorCode: number, place?: Place, ip?: string): string[] {
  const ids: string[] = [];
  let t = startMs + rng.int(0, 15 * SECOND);
  for (let i = 0; i < n; i++) {
    ids.push(consumerSignIn(ctx, rng, 'signin', { consumer, app, at: ctx.after(rng, { ms: t, ticks: 0 }, 0), errorCode, place, ip }, true));
    t += Math.round(gapMs * (0.7 + rng.next() * 0.6));
  }
  return ids;
}

function signUp(ctx: Context, rng: Rng, consumer: Consumer, atMs: number, policyId = 'B2C_1A_signup_signin'): { addUserId: string; signUpId: string } {
  const correlationId = rng.uuid();
  const at = ctx.after(rng, { ms: atMs, ticks: 0 }, 0);
  const signUpId = signUpCompleted(ctx, rng, { at, consumerId: consumer.id, ip: consumer.homeIp, policyId, app: APPS.shopWeb, correlationId, planted: true });
  const addUserId = addUser(ctx, rng, {
    at: ctx.after(rng, at, rng.int(150, 900)), actor: appActor(APPS.cpimService), correlationId, planted: true,
    account: consumer, customerNumber: consumer.customerNumber,
  });
  return { addUserId, signUpId };
}

export function plantConsumerAccountScenarios(ctx: Context): void {
  const h = (hh: number, mm: number) => ctx.day0 + hh * 60 * MINUTE + mm * MINUTE;

  // CA-1: a burst of 70 sign-ups by CPIM Service in 8 minutes; near miss: 30 deletions in 10 minutes at night.
  {
    const rng = ctx.rng('scenario:CA-1');
    const burst: string[] = [];
    for (let i = 0; i < 70; i++) {
      const c = ctx.consumers.take();
      burst.push(signUp(ctx, rng, c, h(13, 20) + Math.round((i / 70) * 8 * MINUTE) + rng.int(0, 5 * SECOND)).addUserId);
    }
    ctx.set.scenario('CA-1', 'fire', '70 "Add user" by CPIM Service between 13:20 and 13:28 (scripted sign-up burst; normal is <= 15 per 10 minutes)', burst);
    const deletions: string[] = [];
    for (let i = 0; i < 30; i++) {
      const c = ctx.consumers.take();
      deletions.push(deleteUser(ctx, rng, { at: ctx.after(rng, { ms: h(4, 10) + Math.round((i / 30) * 9 * MINUTE), ticks: 0 }, rng.int(0, 10 * SECOND)), actor: appActor(APPS.cpimService), account: c, planted: true }));
    }
    ctx.set.scenario('CA-1', 'no-fire', '30 "Delete user" by CPIM Service between 04:10 and 04:20 (GDPR batch, below the threshold of 50 per 10 minutes)', deletions);
  }

  // CA-2: accounts created / deleted by actors that are neither CPIM Service nor approved.
  {
    const rng = ctx.rng('scenario:CA-2');
    const a = ctx.consumers.take();
    ctx.set.scenario('CA-2', 'fire', '"Add user" of a consumer account by helpdesk-07 (not an approved account process) at 11:42', [
      addUser(ctx, rng, { at: ctx.at(rng, 11, 42), actor: userActor(STAFF.helpdesk, rng), account: a, customerNumber: a.customerNumber, planted: true }),
    ]);
    const b = ctx.consumers.take();
    ctx.set.scenario('CA-2', 'fire', '"Delete user" of a consumer account by the app Contoso Deploy Pipeline (not approved) at 16:05', [
      deleteUser(ctx, rng, { at: ctx.at(rng, 16, 5), actor: appActor(APPS.deployPipeline), account: b, planted: true }),
    ]);
    const c = ctx.consumers.take();
    ctx.set.scenario('CA-2', 'no-fire', '"Add user" by the approved app B2C Migration Tool at 09:30', [
      addUser(ctx, rng, { at: ctx.at(rng, 9, 30), actor: appActor(APPS.migrationTool), account: c, customerNumber: c.customerNumber, planted: true }),
    ]);
    const d = ctx.consumers.take();
    ctx.set.scenario('CA-2', 'no-fire', '"Delete user" by the approved administrator it-admin at 10:15', [
      deleteUser(ctx, rng, { at: ctx.at(rng, 10, 15), actor: userActor(STAFF.itAdmin, rng), account: d, planted: true }),
    ]);
  }

  // CA-3: a fresh sign-up assigned to a directory role within the hour; near misses: 3 hours later, and an old account.
  {
    const rng = ctx.rng('scenario:CA-3');
    const x = ctx.consumers.take();
    const created = signUp(ctx, rng, x, h(10, 2) + rng.int(0, 50 * SECOND));
    const role = roleAssignment(ctx, rng, {
      at: ctx.at(rng, 10, 31), actor: appActor(APPS.deployPipeline), planted: true,
      target: { id: x.id, displayName: x.displayName, type: 'User', upn: x.upn }, role: ROLES.globalAdministrator,
    });
    ctx.set.scenario('CA-3', 'fire', 'consumer created by CPIM Service at 10:02, added to Global Administrator at 10:31', [created.addUserId, role]);
    const y = ctx.consumers.take();
    const createdY = signUp(ctx, rng, y, h(7, 40) + rng.int(0, 50 * SECOND));
    const roleY = roleAssignment(ctx, rng, {
      at: ctx.at(rng, 10, 55), actor: userActor(STAFF.itAdmin, rng), planted: true,
      target: { id: y.id, displayName: y.displayName, type: 'User', upn: y.upn }, role: ROLES.reportsReader,
    });
    ctx.set.scenario('CA-3', 'no-fire', 'consumer created by CPIM Service at 07:40, role assigned at 10:55 (outside the 1-hour window)', [createdY.addUserId, roleY]);
    ctx.set.scenario('CA-3', 'no-fire', 'staff account ops-analyst (not created today) added to Reports Reader at 14:10', [
      roleAssignment(ctx, rng, {
        at: ctx.at(rng, 14, 10), actor: userActor(STAFF.itAdmin, rng), planted: true,
        target: { id: STAFF.analyst.id, displayName: STAFF.analyst.displayName, type: 'User', upn: STAFF.analyst.upn }, role: ROLES.reportsReader,
      }),
    ]);
  }

  // CA-4: password guessing on one account, spraying over many accounts; near misses below the threshold / wrong app.
  {
    const rng = ctx.rng('scenario:CA-4');
    const a = ctx.consumers.take();
    ctx.set.scenario('CA-4', 'fire', 'one consumer fails 7 times with 50126 on ProxyIdentityExperienceFramework between 08:12 and 08:19',
      failures(ctx, rng, a, APPS.proxyIef, h(8, 12), 7, 55 * SECOND, 50126));
    const sprayIp = ipIn(homeIn('NL'), rng, 0);
    const spray: string[] = [];
    for (let i = 0; i < 12; i++) {
      const c = ctx.consumers.take();
      spray.push(...failures(ctx, rng, c, APPS.proxyIef, h(21, 3) + i * 30 * SECOND + rng.int(0, 20 * SECOND), 1, 0, 50126, homeIn('NL'), sprayIp));
    }
    ctx.set.scenario('CA-4', 'fire', '12 distinct consumers fail with 50126 on ProxyIdentityExperienceFramework from one IP between 21:03 and 21:10 (spray)', spray);
    const b = ctx.consumers.take();
    ctx.set.scenario('CA-4', 'no-fire', 'one consumer fails 4 times with 50126 on ProxyIdentityExperienceFramework between 17:30 and 17:38 (below 5)',
      failures(ctx, rng, b, APPS.proxyIef, h(17, 30), 4, 2 * MINUTE, 50126));
    const c = ctx.consumers.take();
    ctx.set.scenario('CA-4', 'no-fire', 'one consumer fails 8 times with 50126 on Contoso Shop Web (not a guide app) between 06:20 and 06:27',
      failures(ctx, rng, c, APPS.shopWeb, h(6, 20), 8, 50 * SECOND, 50126));
    const shopSpray: string[] = [];
    const shopIp = ipIn(homeIn('US'), rng, 0);
    for (let i = 0; i < 15; i++) {
      const v = ctx.consumers.take();
      shopSpray.push(...failures(ctx, rng, v, APPS.shopWeb, h(22, 10) + i * 24 * SECOND, 1, 0, 50126, homeIn('US'), shopIp));
    }
    ctx.set.scenario('CA-4', 'no-fire', '15 distinct consumers fail with 50126 on Contoso Shop Web (not a guide app) between 22:10 and 22:16', shopSpray);
  }

  // CA-5: smart lockout (50053) on the guide apps: one account, many accounts, a VIP; near miss: another app.
  {
    const rng = ctx.rng('scenario:CA-5');
    const d = ctx.consumers.take();
    failures(ctx, rng, d, APPS.proxyIef, h(9, 44), 2, 60 * SECOND, 50126);
    ctx.set.scenario('CA-5', 'fire', 'consumer locked out (50053) on ProxyIdentityExperienceFramework at 09:47',
      failures(ctx, rng, d, APPS.proxyIef, h(9, 47), 1, 0, 50053));
    const many: string[] = [];
    for (let i = 0; i < 6; i++) {
      const c = ctx.consumers.take();
      many.push(...failures(ctx, rng, c, APPS.proxyIef, h(19, 5) + i * 3 * MINUTE + rng.int(0, 60 * SECOND), 1, 0, 50053));
    }
    ctx.set.scenario('CA-5', 'fire', '6 distinct consumers locked out (50053) on ProxyIdentityExperienceFramework between 19:05 and 19:24', many);
    const vip: Consumer = { ...ctx.consumers.take(), upn: VIP_UPN, displayName: 'Valued Customer 0001' };
    ctx.set.scenario('CA-5', 'fire', 'VIP consumer vip-0001 locked out (50053) on ProxyIdentityExperienceFramework at 16:40',
      failures(ctx, rng, vip, APPS.proxyIef, h(16, 40), 1, 0, 50053));
    const e = ctx.consumers.take();
    ctx.set.scenario('CA-5', 'no-fire', 'consumer locked out (50053) on Contoso Shop Web (not a guide app) at 11:05',
      failures(ctx, rng, e, APPS.shopWeb, h(11, 5), 1, 0, 50053));
  }

  // CA-6: failures from countries the tenant does not operate in, on the guide apps.
  {
    const rng = ctx.rng('scenario:CA-6');
    const e = ctx.consumers.take();
    ctx.set.scenario('CA-6', 'fire', 'consumer fails twice with 50126 on ProxyIdentityExperienceFramework from RU at 03:12',
      failures(ctx, rng, e, APPS.proxyIef, h(3, 12), 2, 70 * SECOND, 50126, FOREIGN_PLACES.RU));
    const f = ctx.consumers.take();
    ctx.set.scenario('CA-6', 'fire', 'consumer fails with 50089 on CPIM PowerShell Client from NG at 05:40',
      failures(ctx, rng, f, APPS.cpimPowerShell, h(5, 40), 1, 0, 50089, FOREIGN_PLACES.NG));
    const g = ctx.consumers.take();
    ctx.set.scenario('CA-6', 'no-fire', 'consumer fails with 50126 on ProxyIdentityExperienceFramework from DE (an operating country) at 12:15',
      failures(ctx, rng, g, APPS.proxyIef, h(12, 15), 1, 0, 50126, homeIn('DE')));
    const k = ctx.consumers.take();
    ctx.set.scenario('CA-6', 'no-fire', 'consumer fails with 50126 on Contoso Shop Web (not a guide app) from BR at 14:45',
      failures(ctx, rng, k, APPS.shopWeb, h(14, 45), 1, 0, 50126, FOREIGN_PLACES.BR));
    const m = ctx.consumers.take();
    ctx.set.scenario('CA-6', 'no-fire', 'consumer signs in successfully on ProxyIdentityExperienceFramework from JP (travelling) at 07:05',
      failures(ctx, rng, m, APPS.proxyIef, h(7, 5), 1, 0, 0, FOREIGN_PLACES.JP));
    const n = ctx.consumers.take();
    ctx.set.scenario('CA-6', 'no-fire', 'consumer gets the 50140 "keep me signed in" interrupt on ProxyIdentityExperienceFramework from ES at 07:25',
      failures(ctx, rng, n, APPS.proxyIef, h(7, 25), 1, 0, 50140, FOREIGN_PLACES.ES));
  }

  // CA-8: sign-in to a disabled account (50057); near miss: another error code.
  {
    const rng = ctx.rng('scenario:CA-8');
    const f = ctx.consumers.take();
    ctx.set.scenario('CA-8', 'fire', 'disabled consumer account tries ProxyIdentityExperienceFramework (50057) at 18:20',
      failures(ctx, rng, f, APPS.proxyIef, h(18, 20), 1, 0, 50057));
    const g = ctx.consumers.take();
    ctx.set.scenario('CA-8', 'no-fire', 'consumer with an expired password (50055) on ProxyIdentityExperienceFramework at 18:50',
      failures(ctx, rng, g, APPS.proxyIef, h(18, 50), 1, 0, 50055));
  }
}

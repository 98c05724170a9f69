/**
 * Planted instances of the guide's infrastructure rows IN-1..IN-15: Conditional Access policies, B2C custom
 * policies, user flows, API connectors and identity providers changed by actors that are not approved
 * (helpdesk-07, dev-contractor, sec-admin) in the evening, and the same changes by the approved actors
 * (it-admin, idp-admin) during the day. Includes the guide's two filter mistakes as near misses: "Get custom
 * policies" (a read) for IN-5 and "Update API connector" for IN-12.
 */
import type { Actor } from '../audit-record.js';
import { b2cConfigChange, caPolicy, conditionalAccessChange, type B2cObject } from '../audit-kinds.js';
import { userActor, type Context } from '../context.js';
import type { Rng } from '../prng.js';
import { STAFF, type StaffAccount } from '../world.js';

interface Change {
  row: string;
  activity: string;
  object: B2cObject;
  name: string;
  fire: { actor: StaffAccount; hh: number; mm: number };
  nearMiss: { actor: StaffAccount; hh: number; mm: number };
}

const B2C_CHANGES: Change[] = [
  { row: 'IN-4', activity: 'Create custom policy', object: 'custom policy', name: 'B2C_1A_dev_signin_nomfa', fire: { actor: STAFF.contractor, hh: 20, mm: 40 }, nearMiss: { actor: STAFF.itAdmin, hh: 10, mm: 0 } },
  { row: 'IN-5', activity: 'Update custom policy', object: 'custom policy', name: 'B2C_1A_signup_signin', fire: { actor: STAFF.contractor, hh: 20, mm: 45 }, nearMiss: { actor: STAFF.itAdmin, hh: 10, mm: 8 } },
  { row: 'IN-6', activity: 'Delete custom policy', object: 'custom policy', name: 'B2C_1A_PasswordReset', fire: { actor: STAFF.contractor, hh: 20, mm: 48 }, nearMiss: { actor: STAFF.itAdmin, hh: 10, mm: 12 } },
  { row: 'IN-7', activity: 'Create user flow', object: 'user flow', name: 'B2C_1_quick_signup', fire: { actor: STAFF.helpdesk, hh: 19, mm: 40 }, nearMiss: { actor: STAFF.itAdmin, hh: 11, mm: 0 } },
  { row: 'IN-8', activity: 'Update user flow', object: 'user flow', name: 'B2C_1_profile_edit', fire: { actor: STAFF.helpdesk, hh: 19, mm: 42 }, nearMiss: { actor: STAFF.itAdmin, hh: 11, mm: 3 } },
  { row: 'IN-9', activity: 'Delete user flow', object: 'user flow', name: 'B2C_1_password_reset', fire: { actor: STAFF.helpdesk, hh: 19, mm: 44 }, nearMiss: { actor: STAFF.itAdmin, hh: 11, mm: 8 } },
  { row: 'IN-10', activity: 'Create API connector', object: 'API connector', name: 'Loyalty points export', fire: { actor: STAFF.contractor, hh: 23, mm: 20 }, nearMiss: { actor: STAFF.idpAdmin, hh: 14, mm: 0 } },
  { row: 'IN-11', activity: 'Update API connector', object: 'API connector', name: 'CRM customer validation', fire: { actor: STAFF.contractor, hh: 23, mm: 22 }, nearMiss: { actor: STAFF.idpAdmin, hh: 14, mm: 5 } },
  { row: 'IN-12', activity: 'Delete API connector', object: 'API connector', name: 'Fraud screening', fire: { actor: STAFF.contractor, hh: 23, mm: 25 }, nearMiss: { actor: STAFF.idpAdmin, hh: 14, mm: 10 } },
  { row: 'IN-13', activity: 'Create identity provider', object: 'identity provider', name: 'Generic-OIDC-Partner', fire: { actor: STAFF.helpdesk, hh: 19, mm: 50 }, nearMiss: { actor: STAFF.idpAdmin, hh: 14, mm: 20 } },
  { row: 'IN-14', activity: 'Update identity provider', object: 'identity provider', name: 'Microsoft-Account', fire: { actor: STAFF.helpdesk, hh: 19, mm: 52 }, nearMiss: { actor: STAFF.idpAdmin, hh: 14, mm: 25 } },
  { row: 'IN-15', activity: 'Delete identity provider', object: 'identity provider', name: 'Amazon-OAUTH', fire: { actor: STAFF.helpdesk, hh: 19, mm: 55 }, nearMiss: { actor: STAFF.idpAdmin, hh: 14, mm: 30 } },
];

function actorAt(ctx: Context, rng: Rng, who: StaffAccount): Actor {
  return userActor(who, rng);
}

export function plantInfrastructureScenarios(ctx: Context): void {
  const rng = ctx.rng('scenario:IN');

  // IN-1 .. IN-3: Conditional Access.
  const legacy = 'Allow legacy authentication (temporary)';
  ctx.set.scenario('IN-1', 'fire', `Conditional Access policy "${legacy}" created by helpdesk-07 (not approved) at 19:30`, [
    conditionalAccessChange(ctx, rng, { at: ctx.at(rng, 19, 30), activity: 'Add conditional access policy', name: legacy, actor: actorAt(ctx, rng, STAFF.helpdesk), newPolicy: caPolicy(legacy, 'enabled', { clientAppTypes: ['exchangeActiveSync', 'other'], grant: [] }), planted: true }),
  ]);
  const pilot = 'Pilot - require compliant device for admins';
  ctx.set.scenario('IN-1', 'no-fire', `Conditional Access policy "${pilot}" created by it-admin (approved) at 09:10`, [
    conditionalAccessChange(ctx, rng, { at: ctx.at(rng, 9, 10), activity: 'Add conditional access policy', name: pilot, actor: actorAt(ctx, rng, STAFF.itAdmin), newPolicy: caPolicy(pilot, 'enabledForReportingButNotEnforced', { grant: ['compliantDevice'] }), planted: true }),
  ]);
  const adminsMfa = 'Require MFA for administrators';
  ctx.set.scenario('IN-2', 'fire', `Conditional Access policy "${adminsMfa}" deleted by helpdesk-07 (not approved) at 19:35`, [
    conditionalAccessChange(ctx, rng, { at: ctx.at(rng, 19, 35), activity: 'Delete conditional access policy', name: adminsMfa, actor: actorAt(ctx, rng, STAFF.helpdesk), oldPolicy: caPolicy(adminsMfa, 'enabled'), planted: true }),
  ]);
  const oldPilot = 'Pilot - block unknown platforms';
  ctx.set.scenario('IN-2', 'no-fire', `Conditional Access policy "${oldPilot}" deleted by it-admin (approved) at 09:15`, [
    conditionalAccessChange(ctx, rng, { at: ctx.at(rng, 9, 15), activity: 'Delete conditional access policy', name: oldPilot, actor: actorAt(ctx, rng, STAFF.itAdmin), oldPolicy: caPolicy(oldPilot, 'enabledForReportingButNotEnforced', { grant: ['block'] }), planted: true }),
  ]);
  const blockRisky = 'Block high-risk sign-ins';
  ctx.set.scenario('IN-3', 'fire', `Conditional Access policy "${blockRisky}" switched to report-only and sec-admin excluded, by sec-admin (not approved) at 18:10`, [
    conditionalAccessChange(ctx, rng, {
      at: ctx.at(rng, 18, 10), activity: 'Update conditional access policy', name: blockRisky, actor: actorAt(ctx, rng, STAFF.secAdmin), planted: true,
      oldPolicy: caPolicy(blockRisky, 'enabled', { grant: ['block'] }),
      newPolicy: caPolicy(blockRisky, 'enabledForReportingButNotEnforced', { grant: ['block'], excludeUsers: [STAFF.secAdmin.id] }),
    }),
  ]);
  ctx.set.scenario('IN-3', 'no-fire', `Conditional Access policy "${adminsMfa}" updated by it-admin (approved) at 09:20`, [
    conditionalAccessChange(ctx, rng, {
      at: ctx.at(rng, 9, 20), activity: 'Update conditional access policy', name: adminsMfa, actor: actorAt(ctx, rng, STAFF.itAdmin), planted: true,
      oldPolicy: caPolicy(adminsMfa, 'enabled'), newPolicy: caPolicy(adminsMfa, 'enabled', { excludeUsers: [STAFF.breakglass.id] }),
    }),
  ]);

  // IN-4 .. IN-15: B2C configuration.
  for (const c of B2C_CHANGES) {
    ctx.set.scenario(c.row, 'fire', `"${c.activity}" ${c.name} by ${c.fire.actor.upn.split('@')[0]} (not an approved actor) at ${hhmm(c.fire)}`, [
      b2cConfigChange(ctx, rng, { at: ctx.at(rng, c.fire.hh, c.fire.mm), activity: c.activity, object: c.object, name: c.name, actor: actorAt(ctx, rng, c.fire.actor), planted: true }),
    ]);
    ctx.set.scenario(c.row, 'no-fire', `"${c.activity}" ${c.name} by ${c.nearMiss.actor.upn.split('@')[0]} (approved) at ${hhmm(c.nearMiss)}`, [
      b2cConfigChange(ctx, rng, { at: ctx.at(rng, c.nearMiss.hh, c.nearMiss.mm), activity: c.activity, object: c.object, name: c.name, actor: actorAt(ctx, rng, c.nearMiss.actor), planted: true }),
    ]);
  }
  ctx.set.scenario('IN-5', 'no-fire', '"Get custom policies" (a read; the guide\'s filter names it for updates) by dev-contractor at 20:35', [
    b2cConfigChange(ctx, rng, { at: ctx.at(rng, 20, 35), activity: 'Get custom policies', object: 'custom policy', name: 'B2C_1A_signup_signin', actor: actorAt(ctx, rng, STAFF.contractor), planted: true }),
  ]);
  ctx.set.scenario('IN-12', 'no-fire', '"Update API connector" (the guide\'s filter for deletions; an update, IN-11) by sec-admin at 18:15', [
    b2cConfigChange(ctx, rng, { at: ctx.at(rng, 18, 15), activity: 'Update API connector', object: 'API connector', name: 'CRM customer validation', actor: actorAt(ctx, rng, STAFF.secAdmin), planted: true }),
  ]);
}

function hhmm(t: { hh: number; mm: number }): string {
  return `${String(t.hh).padStart(2, '0')}:${String(t.mm).padStart(2, '0')}`;
}

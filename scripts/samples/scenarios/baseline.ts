/**
 * Planted instances of the "Define a baseline" items BL-1..BL-4: accounts missing the customer number or not
 * following the UPN convention, accounts created through a sign-up policy that is not approved, accounts of
 * organizations outside the collaboration list, and consumer accounts changed by an administrator who is not
 * an approved consumer-account administrator; each with its near miss.
 */
import { prop } from '../audit-record.js';
import { addUser, signUpCompleted, updateUser } from '../audit-kinds.js';
import { appActor, userActor, type Context } from '../context.js';
import { APPS, STAFF, TENANT_DOMAIN } from '../world.js';
import { audit } from '../context.js';

export function plantBaselineScenarios(ctx: Context): void {
  const rng = ctx.rng('scenario:BL');
  const at = (hh: number, mm: number) => ctx.at(rng, hh, mm);
  const cpim = appActor(APPS.cpimService);

  // BL-1: standards of new consumer accounts.
  {
    const a = ctx.consumers.take();
    ctx.set.scenario('BL-1', 'fire', '"Add user" by CPIM Service without extension_CustomerNumber at 15:10', [
      addUser(ctx, rng, { at: at(15, 10), actor: cpim, account: a, customerNumber: null, planted: true }),
    ]);
    const b = ctx.consumers.take();
    const named = { ...b, upn: `jane.doe.migrated@${TENANT_DOMAIN}` };
    ctx.set.scenario('BL-1', 'fire', '"Add user" by B2C Migration Tool with the UPN jane.doe.migrated@... (not <uuid>@...) at 03:40', [
      addUser(ctx, rng, { at: at(3, 40), actor: appActor(APPS.migrationTool), account: named, customerNumber: b.customerNumber, planted: true }),
    ]);
    const c = ctx.consumers.take();
    ctx.set.scenario('BL-1', 'no-fire', '"Add user" by CPIM Service with a <uuid> UPN and a customer number at 15:12', [
      addUser(ctx, rng, { at: at(15, 12), actor: cpim, account: c, customerNumber: c.customerNumber, planted: true }),
    ]);
    const d = ctx.consumers.take();
    ctx.set.scenario('BL-1', 'no-fire', '"Add user" by B2C Migration Tool with a <uuid> UPN and a customer number at 03:42', [
      addUser(ctx, rng, { at: at(3, 42), actor: appActor(APPS.migrationTool), account: d, customerNumber: d.customerNumber, planted: true }),
    ]);
  }

  // BL-2: sign-up through a policy that is not an approved onboarding policy.
  {
    const a = ctx.consumers.take();
    const corr = rng.uuid();
    const t = at(16, 20);
    ctx.set.scenario('BL-2', 'fire', 'sign-up completed through B2C_1A_signup_legacy_test (not an approved onboarding policy) at 16:20', [
      signUpCompleted(ctx, rng, { at: t, consumerId: a.id, ip: a.homeIp, policyId: 'B2C_1A_signup_legacy_test', app: APPS.shopWeb, correlationId: corr, planted: true }),
      addUser(ctx, rng, { at: ctx.after(rng, t, 400), actor: cpim, account: a, customerNumber: a.customerNumber, correlationId: corr, planted: true }),
    ]);
    const b = ctx.consumers.take();
    const corrB = rng.uuid();
    const tb = at(12, 50);
    ctx.set.scenario('BL-2', 'no-fire', 'sign-up completed through the approved B2C_1A_onboarding policy at 12:50', [
      signUpCompleted(ctx, rng, { at: tb, consumerId: b.id, ip: b.homeIp, policyId: 'B2C_1A_onboarding', app: APPS.shopWeb, correlationId: corrB, planted: true }),
      addUser(ctx, rng, { at: ctx.after(rng, tb, 350), actor: cpim, account: b, customerNumber: b.customerNumber, correlationId: corrB, planted: true }),
    ]);
  }

  // BL-3: accounts of organizations (B2B guests), inside and outside the collaboration list.
  const invite = (hh: number, mm: number, local: string, domain: string): string[] => {
    const guestUpn = `${local}_${domain}#EXT#@${TENANT_DOMAIN}`;
    const guestId = rng.uuid();
    const corr = rng.uuid();
    const t = at(hh, mm);
    const inviteId = audit(ctx, rng, {
      at: t, activity: 'Invite external user', category: 'UserManagement', service: 'Core Directory', operationType: 'Add',
      actor: userActor(STAFF.itAdmin, rng), correlationId: corr,
      targets: [{ id: guestId, displayName: null, type: 'User', userPrincipalName: guestUpn }],
      additionalDetails: [['invitedUserEmailAddress', `${local}@${domain}`]],
    }, true);
    const addId = addUser(ctx, rng, {
      at: ctx.after(rng, t, 600), actor: userActor(STAFF.itAdmin, rng), correlationId: corr, planted: true,
      account: { id: guestId, upn: guestUpn, displayName: local }, customerNumber: null, userType: 'Guest', mail: `${local}@${domain}`,
    });
    return [inviteId, addId];
  };
  ctx.set.scenario('BL-3', 'fire', 'guest account mallory@tailspintoys.example (not a collaborating organization) invited by it-admin at 15:30', invite(15, 30, 'mallory', 'tailspintoys.example'));
  ctx.set.scenario('BL-3', 'no-fire', 'guest account alice@fabrikam.com (a collaborating organization) invited by it-admin at 09:55', invite(9, 55, 'alice', 'fabrikam.com'));

  // BL-4: consumer accounts changed by an administrator who is not an approved consumer-account administrator.
  {
    const a = ctx.consumers.take();
    ctx.set.scenario('BL-4', 'fire', 'consumer account disabled ("Update user" AccountEnabled false) by sec-admin (not an account admin) at 18:30', [
      updateUser(ctx, rng, { at: at(18, 30), actor: userActor(STAFF.secAdmin, rng), account: a, props: [prop('AccountEnabled', [true], [false])], planted: true }),
    ]);
    const b = ctx.consumers.take();
    ctx.set.scenario('BL-4', 'fire', 'consumer display name changed ("Update user") by dev-contractor at 23:30', [
      updateUser(ctx, rng, { at: at(23, 30), actor: userActor(STAFF.contractor, rng), account: b, props: [prop('DisplayName', [b.displayName], ['Test Account'])], planted: true }),
    ]);
    const c = ctx.consumers.take();
    ctx.set.scenario('BL-4', 'no-fire', 'consumer account disabled ("Update user") by it-admin (the approved account admin) at 12:45', [
      updateUser(ctx, rng, { at: at(12, 45), actor: userActor(STAFF.itAdmin, rng), account: c, props: [prop('AccountEnabled', [true], [false])], planted: true }),
    ]);
  }
}

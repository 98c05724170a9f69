/**
 * Planted instances of the guide's privileged-account rows PA-1..PA-13. The four privileged accounts sign in
 * from the Contoso offices with approved devices on weekdays 08:00-18:00 (see ../background.ts and
 * ../history.ts); each scenario below changes one thing (error code, place, device, hour, actor) and each near
 * miss keeps what the rule checks inside the approved values. Accounts and times are chosen so that per-account
 * correlations (3 failures in 30 minutes) never mix a fire instance with a near miss.
 */
import { prop } from '../audit-record.js';
import {
  accountSecurityEvent, b2cConfigChange, passwordActivity, updateUser,
} from '../audit-kinds.js';
import { adminSignIn, userActor, type Context } from '../context.js';
import { consumerSignIn } from '../context.js';
import type { AuthStep } from '../signin-record.js';
import {
  APPS, FOREIGN_PLACES, STAFF, UNAPPROVED_ADMIN_CLIENT, type StaffAccount,
} from '../world.js';

const PASSWORD_OK: AuthStep = { method: 'Password', succeeded: true, detail: 'Correct password', requirement: 'Primary authentication' };

function mfaStep(succeeded: boolean, detail: string): AuthStep {
  return { method: 'Mobile app notification', succeeded, detail, requirement: 'Multifactor authentication' };
}

export function plantPrivilegedAccountScenarios(ctx: Context): void {
  const rng = ctx.rng('scenario:PA');
  const at = (hh: number, mm: number, ss?: number) => ctx.at(rng, hh, mm, ss);
  const sign = (account: StaffAccount, hh: number, mm: number, errorCode: number, extra: Partial<Parameters<typeof adminSignIn>[3]> = {}) =>
    adminSignIn(ctx, rng, 'signin', { account, at: at(hh, mm), errorCode, ...extra }, true);

  // PA-1: >= 3 bad passwords in 30 minutes.
  ctx.set.scenario('PA-1', 'fire', 'idp-admin fails 4 times with 50126 between 11:02 and 11:14 (from the office)', [
    sign(STAFF.idpAdmin, 11, 2, 50126), sign(STAFF.idpAdmin, 11, 5, 50126), sign(STAFF.idpAdmin, 11, 9, 50126), sign(STAFF.idpAdmin, 11, 14, 50126),
  ]);
  sign(STAFF.idpAdmin, 11, 16, 0);
  ctx.set.scenario('PA-1', 'no-fire', 'it-admin mistypes the password twice (50126) at 14:05 and 14:20 (below 3 in 30 minutes)', [
    sign(STAFF.itAdmin, 14, 5, 50126), sign(STAFF.itAdmin, 14, 20, 50126),
  ]);
  sign(STAFF.itAdmin, 14, 21, 0);

  // PA-2: blocked by Conditional Access.
  ctx.set.scenario('PA-2', 'fire', 'sec-admin blocked by Conditional Access (53003) at 10:10', [
    sign(STAFF.secAdmin, 10, 10, 53003, {
      authenticationSteps: [PASSWORD_OK],
      policies: [{ displayName: 'Block admin access from unmanaged devices', result: 'failure', grantControls: ['Block'] }],
    }),
  ]);
  {
    const c = ctx.consumers.take();
    ctx.set.scenario('PA-2', 'no-fire', 'a consumer (not privileged) blocked by Conditional Access (53003) on Contoso Shop Web at 15:20', [
      consumerSignIn(ctx, rng, 'signin', {
        consumer: c, app: APPS.shopWeb, at: at(15, 20), errorCode: 53003, authenticationSteps: [PASSWORD_OK],
        policies: [{ displayName: 'Block sign-in from anonymous networks', result: 'failure', grantControls: ['Block'] }],
      }, true),
    ]);
  }

  // PA-3: the password was right but MFA was not passed.
  ctx.set.scenario('PA-3', 'fire', 'it-admin: password accepted, MFA required (50074) then MFA failed (500121) at 16:31', [
    sign(STAFF.itAdmin, 16, 31, 50074, { authenticationSteps: [PASSWORD_OK, mfaStep(false, 'MFA required in Azure AD')] }),
    sign(STAFF.itAdmin, 16, 32, 500121, {
      additionalDetails: 'The user did not complete the MFA prompt.',
      authenticationSteps: [PASSWORD_OK, mfaStep(false, 'MFA was not completed')],
    }),
  ]);
  ctx.set.scenario('PA-3', 'no-fire', 'idp-admin gets the "keep me signed in" interrupt (50140) at 09:05 and then signs in', [
    sign(STAFF.idpAdmin, 9, 5, 50140, { authenticationSteps: [PASSWORD_OK, mfaStep(true, 'MFA successfully completed')] }),
    sign(STAFF.idpAdmin, 9, 6, 0),
  ]);
  {
    const c = ctx.consumers.take();
    ctx.set.scenario('PA-3', 'no-fire', 'a consumer (not privileged) fails MFA (500121) on Contoso Shop Web at 12:40', [
      consumerSignIn(ctx, rng, 'signin', {
        consumer: c, app: APPS.shopWeb, at: at(12, 40), errorCode: 500121,
        authenticationSteps: [PASSWORD_OK, { method: 'Text message', succeeded: false, detail: 'MFA was not completed', requirement: 'Multifactor authentication' }],
      }, true),
    ]);
  }

  // PA-4: lockout.
  ctx.set.scenario('PA-4', 'fire', 'idp-admin locked out (50053) at 15:40', [sign(STAFF.idpAdmin, 15, 40, 50053)]);
  {
    const c = ctx.consumers.take();
    ctx.set.scenario('PA-4', 'no-fire', 'a consumer (not privileged) locked out (50053) on Contoso Shop Web at 08:35', [
      consumerSignIn(ctx, rng, 'signin', { consumer: c, app: APPS.shopWeb, at: at(8, 35), errorCode: 50053 }, true),
    ]);
  }

  // PA-5: disabled account.
  ctx.set.scenario('PA-5', 'fire', 'disabled break-glass account tried (50057) at 05:30', [sign(STAFF.breakglass, 5, 30, 50057)]);
  ctx.set.scenario('PA-5', 'no-fire', 'disabled staff account ops-analyst (not privileged) tried (50057) at 13:50', [
    sign(STAFF.analyst, 13, 50, 50057),
  ]);

  // PA-6: MFA denied with a fraud report at sign-in.
  ctx.set.scenario('PA-6', 'fire', 'sec-admin: "MFA denied; fraud code entered" (500121) at 17:20, from VN with an unknown device', [
    sign(STAFF.secAdmin, 17, 20, 500121, {
      place: FOREIGN_PLACES.VN, client: UNAPPROVED_ADMIN_CLIENT, additionalDetails: 'MFA denied; fraud code entered',
      authenticationSteps: [PASSWORD_OK, mfaStep(false, 'MFA denied; fraud code entered')],
    }),
  ]);
  ctx.set.scenario('PA-6', 'no-fire', 'it-admin declines a prompt: "MFA denied; user declined the authentication" (500121) at 10:40 (no fraud report)', [
    sign(STAFF.itAdmin, 10, 40, 500121, {
      additionalDetails: 'MFA denied; user declined the authentication',
      authenticationSteps: [PASSWORD_OK, mfaStep(false, 'MFA denied; user declined the authentication')],
    }),
  ]);

  // PA-7: fraud reported (audit).
  ctx.set.scenario('PA-7', 'fire', 'audit "Fraud reported - user is blocked for MFA" for sec-admin at 17:21', [
    accountSecurityEvent(ctx, rng, {
      at: at(17, 21), activity: 'Fraud reported - user is blocked for MFA', service: 'MFA', account: STAFF.secAdmin,
      actor: userActor(STAFF.secAdmin, rng), resultReason: 'Successfully reported fraud', planted: true,
    }),
  ]);
  ctx.set.scenario('PA-7', 'no-fire', 'audit "Update user" of sec-admin (department) by it-admin at 11:30 (no fraud report)', [
    updateUser(ctx, rng, { at: at(11, 30), actor: userActor(STAFF.itAdmin, rng), account: STAFF.secAdmin, props: [prop('Department', ['IT'], ['Security Operations'])], planted: true }),
  ]);

  // PA-8: sign-in outside the approved controls.
  ctx.set.scenario('PA-8', 'fire', 'break-glass account fails (50126) from RU, IP 198.51.100.x, Firefox on Linux at 04:13', [
    sign(STAFF.breakglass, 4, 13, 50126, { place: FOREIGN_PLACES.RU, client: UNAPPROVED_ADMIN_CLIENT }),
  ]);
  ctx.set.scenario('PA-8', 'no-fire', 'sec-admin mistypes the password once (50126) from the office with an approved device at 13:10', [
    sign(STAFF.secAdmin, 13, 10, 50126),
  ]);

  // PA-9: sign-in at an hour of the week never seen for the account (history: weekdays 08:00-18:00).
  ctx.set.scenario('PA-9', 'fire', 'sec-admin signs in successfully at 02:47 on Monday (never seen at that hour in 14 days of history)', [
    sign(STAFF.secAdmin, 2, 47, 0),
  ]);
  ctx.set.scenario('PA-9', 'no-fire', 'it-admin signs in successfully at 09:20 on Monday (usual hour)', [sign(STAFF.itAdmin, 9, 20, 0)]);

  // PA-10: password change of an admin account.
  ctx.set.scenario('PA-10', 'fire', '"Reset user password" of the break-glass account by it-admin at 10:50', [
    passwordActivity(ctx, rng, { at: at(10, 50), activity: 'Reset user password', actor: userActor(STAFF.itAdmin, rng), account: STAFF.breakglass, planted: true }),
  ]);
  ctx.set.scenario('PA-10', 'fire', '"Change user password" by idp-admin for itself at 13:30', [
    passwordActivity(ctx, rng, { at: at(13, 30), activity: 'Change user password', actor: userActor(STAFF.idpAdmin, rng), account: STAFF.idpAdmin, planted: true }),
  ]);
  {
    const c = ctx.consumers.take();
    ctx.set.scenario('PA-10', 'no-fire', '"Reset user password" of a consumer account by helpdesk-07 (no privileged account involved) at 14:40', [
      passwordActivity(ctx, rng, { at: at(14, 40), activity: 'Reset user password', actor: userActor(STAFF.helpdesk, rng), account: c, planted: true }),
    ]);
  }

  // PA-11: authentication methods changed.
  ctx.set.scenario('PA-11', 'fire', '"User registered security info" for sec-admin at 17:25', [
    accountSecurityEvent(ctx, rng, {
      at: at(17, 25), activity: 'User registered security info', service: 'Authentication Methods', account: STAFF.secAdmin,
      actor: userActor(STAFF.secAdmin, rng), resultReason: 'User registered Authenticator App with Notification and Code', planted: true,
    }),
  ]);
  ctx.set.scenario('PA-11', 'fire', '"Update user" changing StrongAuthenticationMethod of the break-glass account by sec-admin at 17:30', [
    updateUser(ctx, rng, {
      at: at(17, 30), actor: userActor(STAFF.secAdmin, rng), account: STAFF.breakglass, planted: true,
      props: [prop('StrongAuthenticationMethod', [{ MethodType: 6, Default: true }], [{ MethodType: 6, Default: false }, { MethodType: 7, Default: true }])],
    }),
  ]);
  ctx.set.scenario('PA-11', 'no-fire', '"Create identity provider" by idp-admin at 10:20 (the guide\'s filter names it, but it is no authentication-method change)', [
    b2cConfigChange(ctx, rng, { at: at(10, 20), activity: 'Create identity provider', object: 'identity provider', name: 'Apple-OIDC', actor: userActor(STAFF.idpAdmin, rng), planted: true }),
  ]);

  // PA-12 / PA-13: identity provider updated / deleted by a non-approved actor.
  ctx.set.scenario('PA-12', 'fire', '"Update identity provider" Facebook-OAUTH by sec-admin (not an approved actor) at 18:40', [
    b2cConfigChange(ctx, rng, { at: at(18, 40), activity: 'Update identity provider', object: 'identity provider', name: 'Facebook-OAUTH', actor: userActor(STAFF.secAdmin, rng), planted: true }),
  ]);
  ctx.set.scenario('PA-12', 'no-fire', '"Update identity provider" Google-OAUTH by idp-admin (approved) at 10:25', [
    b2cConfigChange(ctx, rng, { at: at(10, 25), activity: 'Update identity provider', object: 'identity provider', name: 'Google-OAUTH', actor: userActor(STAFF.idpAdmin, rng), planted: true }),
  ]);
  ctx.set.scenario('PA-13', 'fire', '"Delete identity provider" Google-OAUTH by sec-admin (not an approved actor) at 18:45', [
    b2cConfigChange(ctx, rng, { at: at(18, 45), activity: 'Delete identity provider', object: 'identity provider', name: 'Google-OAUTH', actor: userActor(STAFF.secAdmin, rng), planted: true }),
  ]);
  ctx.set.scenario('PA-13', 'no-fire', '"Delete identity provider" Twitter-OAUTH by idp-admin (approved) at 11:10', [
    b2cConfigChange(ctx, rng, { at: at(11, 10), activity: 'Delete identity provider', object: 'identity provider', name: 'Twitter-OAUTH', actor: userActor(STAFF.idpAdmin, rng), planted: true }),
  ]);
}

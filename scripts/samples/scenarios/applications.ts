/**
 * Planted instances of the guide's application rows AP-1..AP-12: credential additions, role assignments and
 * permission grants to apps, ROPC sign-ins, and application changes (AppAddress, AppIdentifierUri, LogoutUrl,
 * owners). Fire instances are made by non-approved actors outside working hours; near misses by approved
 * actors inside working hours with benign content (https redirect URIs on controlled domains that resolve, a
 * grant to a non-sensitive API, a single-user consent...). Redirect URI lists stay consistent per app over the
 * day (each update's old value is the previous new value) and no URI is shared by two apps.
 */
import { prop } from '../audit-record.js';
import {
  addOwnerToApplication, appAddresses, applicationChange, appRoleAssignment, delegatedGrant, keyDescription,
  roleAssignment, ROLES, userAssignedToApp,
} from '../audit-kinds.js';
import { consumerSignIn, userActor, type Context } from '../context.js';
import type { Rng } from '../prng.js';
import { APPS, STAFF, type App, type StaffAccount } from '../world.js';

/** Planned AppAddress updates of one app, applied in time order so old / new values chain. */
interface AddressUpdate {
  hh: number;
  mm: number;
  actor: StaffAccount;
  add: string;
  row: string;
  expect: 'fire' | 'no-fire';
  description: string;
}

function plantAddressUpdates(ctx: Context, rng: Rng, app: App, initial: string[], updates: AddressUpdate[]): void {
  let current = [...initial];
  const sorted = [...updates].sort((a, b) => a.hh * 60 + a.mm - (b.hh * 60 + b.mm));
  for (const u of sorted) {
    const next = [...current, u.add];
    const id = applicationChange(ctx, rng, {
      at: ctx.at(rng, u.hh, u.mm), actor: userActor(u.actor, rng), app, planted: true,
      props: [prop('AppAddress', appAddresses(current), appAddresses(next))],
    });
    ctx.set.scenario(u.row, u.expect, u.description, [id]);
    current = next;
  }
}

export function plantApplicationScenarios(ctx: Context): void {
  const rng = ctx.rng('scenario:AP');
  const at = (hh: number, mm: number) => ctx.at(rng, hh, mm);

  // AP-1: credentials added to an application.
  const ordersKey = keyDescription(rng, 'orders-prod');
  ctx.set.scenario('AP-1', 'fire', 'client secret added to Contoso Orders API by dev-contractor at 23:12 (outside working hours)', [
    applicationChange(ctx, rng, {
      at: at(23, 12), actor: userActor(STAFF.contractor, rng), app: APPS.ordersApi, planted: true,
      activity: 'Update application – Certificates and secrets management',
      props: [prop('KeyDescription', [ordersKey], [ordersKey, keyDescription(rng, 'tmp')])],
    }),
  ]);
  ctx.set.scenario('AP-1', 'no-fire', 'client secret rotated on Contoso Reporting Daemon by it-admin at 10:15 (inside working hours, approved actor)', [
    applicationChange(ctx, rng, {
      at: at(10, 15), actor: userActor(STAFF.itAdmin, rng), app: APPS.reportingDaemon, planted: true,
      activity: 'Update application – Certificates and secrets management',
      props: [prop('KeyDescription', [keyDescription(rng, 'reporting-2025')], [keyDescription(rng, 'reporting-2026')])],
    }),
  ]);
  ctx.set.scenario('AP-1', 'no-fire', '"Update application" of Contoso Legacy Kiosk changing only its display name by it-admin at 10:05 (no credential)', [
    applicationChange(ctx, rng, {
      at: at(10, 5), actor: userActor(STAFF.itAdmin, rng), app: APPS.kiosk, planted: true,
      props: [prop('DisplayName', ['Contoso Legacy Kiosk'], ['Contoso Legacy Kiosk (retiring)'])],
    }),
  ]);

  // AP-2: app assigned to a role.
  ctx.set.scenario('AP-2', 'fire', 'service principal Contoso Sync Service added to Privileged Role Administrator by dev-contractor at 20:12', [
    roleAssignment(ctx, rng, {
      at: at(20, 12), actor: userActor(STAFF.contractor, rng), planted: true,
      target: { id: APPS.syncService.servicePrincipalId, displayName: APPS.syncService.displayName, type: 'ServicePrincipal' }, role: ROLES.privilegedRoleAdministrator,
    }),
  ]);
  ctx.set.scenario('AP-2', 'fire', 'service principal Contoso Reporting Daemon made eligible for Global Reader by dev-contractor at 20:20', [
    roleAssignment(ctx, rng, {
      at: at(20, 20), activity: 'Add eligible member to role', actor: userActor(STAFF.contractor, rng), planted: true,
      target: { id: APPS.reportingDaemon.servicePrincipalId, displayName: APPS.reportingDaemon.displayName, type: 'ServicePrincipal' }, role: ROLES.globalReader,
    }),
  ]);
  ctx.set.scenario('AP-2', 'no-fire', 'user helpdesk-07 (not an app) added to Helpdesk Administrator by it-admin at 09:50', [
    roleAssignment(ctx, rng, {
      at: at(9, 50), actor: userActor(STAFF.itAdmin, rng), planted: true,
      target: { id: STAFF.helpdesk.id, displayName: STAFF.helpdesk.displayName, type: 'User', upn: STAFF.helpdesk.upn }, role: ROLES.helpdeskAdministrator,
    }),
  ]);

  // AP-3 .. AP-6: permission grants.
  ctx.set.scenario('AP-3', 'fire', 'app role Directory.ReadWrite.All on Microsoft Graph granted to Contoso Reporting Daemon by dev-contractor at 20:30', [
    appRoleAssignment(ctx, rng, { at: at(20, 30), actor: userActor(STAFF.contractor, rng), client: APPS.reportingDaemon, resource: APPS.graph, role: 'Directory.ReadWrite.All', planted: true }),
  ]);
  ctx.set.scenario('AP-3', 'fire', 'delegated Mail.ReadWrite on Microsoft Graph granted to Contoso Mobile App (one user) at 20:34', [
    delegatedGrant(ctx, rng, { at: at(20, 34), actor: userActor(STAFF.contractor, rng), client: APPS.mobileApp, resource: APPS.graph, scope: 'openid profile Mail.ReadWrite', consentType: 'Principal', planted: true }),
  ]);
  ctx.set.scenario('AP-3', 'no-fire', 'delegated "openid profile offline_access User.Read" on Microsoft Graph for Contoso Shop Web (user consent) at 12:05', [
    delegatedGrant(ctx, rng, { at: at(12, 5), actor: userActor(STAFF.analyst, rng), client: APPS.shopWeb, resource: APPS.graph, scope: 'openid profile offline_access User.Read', consentType: 'Principal', planted: true }),
  ]);
  ctx.set.scenario('AP-4', 'fire', 'administrator it-admin grants app role User.ReadWrite.All on Microsoft Graph to Contoso Sync Service at 16:10', [
    appRoleAssignment(ctx, rng, { at: at(16, 10), actor: userActor(STAFF.itAdmin, rng), client: APPS.syncService, resource: APPS.graph, role: 'User.ReadWrite.All', planted: true }),
  ]);
  ctx.set.scenario('AP-4', 'no-fire', '"Add app role assignment grant to user": ops-analyst assigned to Contoso Shop Web by it-admin at 09:40 (no permission granted)', [
    userAssignedToApp(ctx, rng, { at: at(9, 40), actor: userActor(STAFF.itAdmin, rng), app: APPS.shopWeb, user: STAFF.analyst, planted: true }),
  ]);
  ctx.set.scenario('AP-4', 'no-fire', 'delegated "openid User.Read" on Microsoft Graph for Contoso Legacy Kiosk (low privilege) at 12:25', [
    delegatedGrant(ctx, rng, { at: at(12, 25), actor: userActor(STAFF.analyst, rng), client: APPS.kiosk, resource: APPS.graph, scope: 'openid User.Read', consentType: 'Principal', planted: true }),
  ]);
  ctx.set.scenario('AP-5', 'fire', 'delegated EWS.AccessAsUser.All on Office 365 Exchange Online granted to Contoso Mobile App at 19:50', [
    delegatedGrant(ctx, rng, { at: at(19, 50), actor: userActor(STAFF.contractor, rng), client: APPS.mobileApp, resource: APPS.exchange, scope: 'EWS.AccessAsUser.All', consentType: 'Principal', planted: true }),
  ]);
  ctx.set.scenario('AP-5', 'no-fire', 'app role Orders.Read on the tenant\'s own Contoso Orders API granted to Contoso Mobile App by it-admin at 10:45', [
    appRoleAssignment(ctx, rng, { at: at(10, 45), actor: userActor(STAFF.itAdmin, rng), client: APPS.mobileApp, resource: APPS.ordersApi, role: 'Orders.Read', planted: true }),
  ]);
  ctx.set.scenario('AP-6', 'fire', 'delegated "Directory.ReadWrite.All Mail.ReadWrite offline_access" on Microsoft Graph for ALL users (AllPrincipals) to Contoso Sync Service at 21:40', [
    delegatedGrant(ctx, rng, { at: at(21, 40), actor: userActor(STAFF.contractor, rng), client: APPS.syncService, resource: APPS.graph, scope: 'Directory.ReadWrite.All Mail.ReadWrite offline_access', consentType: 'AllPrincipals', planted: true }),
  ]);
  ctx.set.scenario('AP-6', 'no-fire', 'the same high scopes on Microsoft Graph consented by one user only (ConsentType Principal) for Contoso Reporting Daemon at 15:05', [
    delegatedGrant(ctx, rng, { at: at(15, 5), actor: userActor(STAFF.analyst, rng), client: APPS.reportingDaemon, resource: APPS.graph, scope: 'Directory.ReadWrite.All Mail.ReadWrite offline_access', consentType: 'Principal', planted: true }),
  ]);

  // AP-7: ROPC.
  {
    const c = ctx.consumers.take();
    ctx.set.scenario('AP-7', 'fire', 'consumer signs in successfully through ROPC on Contoso Legacy Kiosk at 14:02', [
      consumerSignIn(ctx, rng, 'signin', { consumer: c, app: APPS.kiosk, at: at(14, 2), authenticationProtocol: 'ropc', client: { ...c.client, clientAppUsed: 'Mobile Apps and Desktop clients' } }, true),
    ]);
    const d = ctx.consumers.take();
    ctx.set.scenario('AP-7', 'no-fire', 'ROPC attempt on Contoso Legacy Kiosk that failed (50126) at 14:30', [
      consumerSignIn(ctx, rng, 'signin', { consumer: d, app: APPS.kiosk, at: at(14, 30), errorCode: 50126, authenticationProtocol: 'ropc' }, true),
    ]);
  }

  // AP-8 (dangling URI) on Contoso Mobile App, AP-9 (risky redirect URIs) on Contoso Shop Web.
  plantAddressUpdates(ctx, rng, APPS.mobileApp, ['https://m.contoso.com/signin-oidc'], [
    { hh: 10, mm: 35, actor: STAFF.itAdmin, add: 'https://app.contoso.com/signin-oidc', row: 'AP-8', expect: 'no-fire', description: 'redirect URI https://app.contoso.com/signin-oidc (resolves) added to Contoso Mobile App by it-admin at 10:35' },
    { hh: 22, mm: 5, actor: STAFF.contractor, add: 'https://promo-2024.contoso-campaigns.invalid/signin-oidc', row: 'AP-8', expect: 'fire', description: 'redirect URI on promo-2024.contoso-campaigns.invalid (never resolves) added to Contoso Mobile App by dev-contractor at 22:05' },
  ]);
  plantAddressUpdates(ctx, rng, APPS.shopWeb, ['https://shop.contoso.com/signin-oidc', 'https://www.contoso.com/signin-oidc'], [
    { hh: 11, mm: 50, actor: STAFF.idpAdmin, add: 'https://shop.contoso.com/account/signin-oidc', row: 'AP-9', expect: 'no-fire', description: 'https redirect URI on the controlled domain shop.contoso.com added to Contoso Shop Web by idp-admin at 11:50' },
    { hh: 20, mm: 50, actor: STAFF.contractor, add: 'http://shop.contoso.com/callback', row: 'AP-9', expect: 'fire', description: 'redirect URI without HTTPS (http://shop.contoso.com/callback) added to Contoso Shop Web at 20:50' },
    { hh: 20, mm: 55, actor: STAFF.contractor, add: 'https://*.contoso.com/signin-oidc', row: 'AP-9', expect: 'fire', description: 'wildcard redirect URI https://*.contoso.com/signin-oidc added to Contoso Shop Web at 20:55' },
    { hh: 21, mm: 0, actor: STAFF.contractor, add: 'https://login.fabrikam-shop.example/signin-oidc', row: 'AP-9', expect: 'fire', description: 'redirect URI on a domain Contoso does not control (fabrikam-shop.example) added to Contoso Shop Web at 21:00' },
  ]);

  // AP-10: AppID URI.
  ctx.set.scenario('AP-10', 'fire', 'AppIdentifierUri of Contoso Orders API changed by dev-contractor at 21:15', [
    applicationChange(ctx, rng, {
      at: at(21, 15), actor: userActor(STAFF.contractor, rng), app: APPS.ordersApi, planted: true,
      props: [prop('AppIdentifierUri', ['https://contosob2c.onmicrosoft.com/orders-api'], ['https://contosob2c.onmicrosoft.com/orders-api', 'api://orders.contoso-partner.example'])],
    }),
  ]);
  ctx.set.scenario('AP-10', 'no-fire', '"Update application" of Contoso Reporting Daemon changing only RequiredResourceAccess by it-admin at 11:40', [
    applicationChange(ctx, rng, {
      at: at(11, 40), actor: userActor(STAFF.itAdmin, rng), app: APPS.reportingDaemon, planted: true,
      props: [prop('RequiredResourceAccess', [{ ResourceAppId: APPS.ordersApi.appId, RequiredAppPermissions: [{ EntitlementId: 'a1b2', DirectAccessGrant: true }] }], [{ ResourceAppId: APPS.ordersApi.appId, RequiredAppPermissions: [{ EntitlementId: 'a1b2', DirectAccessGrant: true }, { EntitlementId: 'c3d4', DirectAccessGrant: true }] }])],
    }),
  ]);

  // AP-11: owners.
  ctx.set.scenario('AP-11', 'fire', 'dev-contractor added as owner of Contoso Orders API by sec-admin (not an approved actor) at 21:05', [
    addOwnerToApplication(ctx, rng, { at: at(21, 5), actor: userActor(STAFF.secAdmin, rng), app: APPS.ordersApi, owner: STAFF.contractor, planted: true }),
  ]);
  ctx.set.scenario('AP-11', 'no-fire', 'idp-admin added as owner of Contoso Shop Web by it-admin (approved) at 10:30', [
    addOwnerToApplication(ctx, rng, { at: at(10, 30), actor: userActor(STAFF.itAdmin, rng), app: APPS.shopWeb, owner: STAFF.idpAdmin, planted: true }),
  ]);

  // AP-12: sign-out URL (LogoutUrl) of Contoso Shop Web, chained.
  const logout0 = ['https://shop.contoso.com/signout-oidc'];
  const logout1 = ['https://shop.contoso.com/account/signout'];
  const logout2: string[] = [];
  const logout3 = ['https://logout.contoso-legacy.invalid/signout'];
  ctx.set.scenario('AP-12', 'no-fire', 'sign-out URL of Contoso Shop Web moved to https://shop.contoso.com/account/signout by it-admin at 10:40', [
    applicationChange(ctx, rng, { at: at(10, 40), actor: userActor(STAFF.itAdmin, rng), app: APPS.shopWeb, props: [prop('LogoutUrl', logout0, logout1)], planted: true }),
  ]);
  ctx.set.scenario('AP-12', 'fire', 'sign-out URL of Contoso Shop Web blanked by dev-contractor at 22:30', [
    applicationChange(ctx, rng, { at: at(22, 30), actor: userActor(STAFF.contractor, rng), app: APPS.shopWeb, props: [prop('LogoutUrl', logout1, logout2)], planted: true }),
  ]);
  ctx.set.scenario('AP-12', 'fire', 'sign-out URL of Contoso Shop Web set to a non-existent host (logout.contoso-legacy.invalid) at 22:35', [
    applicationChange(ctx, rng, { at: at(22, 35), actor: userActor(STAFF.contractor, rng), app: APPS.shopWeb, props: [prop('LogoutUrl', logout2, logout3)], planted: true }),
  ]);
}

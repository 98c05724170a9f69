/**
 * The audit events of a B2C tenant, one builder per kind, with the targets, modified properties and
 * additionalDetails Entra writes for them: consumer accounts (Add / Delete / Update user, sign-up), B2C
 * configuration (custom policies, user flows, API connectors, identity providers, policy keys), Conditional
 * Access policies, role assignments, application changes (AppAddress, AppIdentifierUri, LogoutUrl, credentials,
 * owners) and permission grants.
 */
import { prop, type Actor, type AuditService, type ModifiedProperty, type TargetResource } from './audit-record.js';
import { audit, type Context } from './context.js';
import { Rng, hashString } from './prng.js';
import type { Instant } from './time.js';
import { TENANT_ID, type App } from './world.js';

/** The extension attribute B2C writes for the custom attribute CustomerNumber (b2c-extensions-app id). */
export const CUSTOMER_NUMBER_PROPERTY = 'extension_5f1c0e2a9b8d4c3e8f7a6b5c4d3e2f1a_CustomerNumber';

/** A stable object id derived from a label (application objects, policies, connectors). */
export function stableId(label: string): string {
  return new Rng(hashString(label)).uuid();
}

export interface AccountRef {
  id: string;
  upn: string;
  displayName: string;
}

interface Common {
  at: Instant;
  actor: Actor;
  correlationId?: string;
  planted?: boolean;
}

export interface AddUserOptions extends Common {
  account: AccountRef;
  /** null: the attribute is not set */
  customerNumber: string | null;
  userType?: 'Member' | 'Guest';
  mail?: string;
  policyId?: string;
}

export function addUser(ctx: Context, rng: Rng, o: AddUserOptions): string {
  const props: ModifiedProperty[] = [
    prop('AccountEnabled', [], [true]),
    prop('DisplayName', [], [o.account.displayName]),
    prop('UserPrincipalName', [], [o.account.upn]),
    prop('UserType', [], [o.userType ?? 'Member']),
  ];
  const names = ['AccountEnabled', 'DisplayName', 'UserPrincipalName', 'UserType'];
  if (o.mail) {
    props.push(prop('Mail', [], [o.mail]));
    names.push('Mail');
  }
  if (o.customerNumber !== null) {
    props.push(prop(CUSTOMER_NUMBER_PROPERTY, [], [o.customerNumber]));
    names.push(CUSTOMER_NUMBER_PROPERTY);
  }
  props.push(prop('Included Updated Properties', undefined, names.join(', ')));
  const details: Array<[string, string]> = [['UserType', o.userType ?? 'Member']];
  if (o.policyId) details.push(['PolicyId', o.policyId]);
  return audit(ctx, rng, {
    at: o.at, activity: 'Add user', category: 'UserManagement', service: 'Core Directory', operationType: 'Add',
    actor: o.actor, correlationId: o.correlationId, withResultType: rng.chance(0.3),
    targets: [{ id: o.account.id, displayName: null, type: 'User', userPrincipalName: o.account.upn, modifiedProperties: props }],
    additionalDetails: details,
  }, o.planted ?? false);
}

export function deleteUser(ctx: Context, rng: Rng, o: Common & { account: AccountRef }): string {
  return audit(ctx, rng, {
    at: o.at, activity: 'Delete user', category: 'UserManagement', service: 'Core Directory', operationType: 'Delete',
    actor: o.actor, correlationId: o.correlationId, withResultType: rng.chance(0.3),
    targets: [{ id: o.account.id, displayName: null, type: 'User', userPrincipalName: `${o.account.id.replace(/-/g, '')}${o.account.upn}` }],
    additionalDetails: [['UserType', 'Member']],
  }, o.planted ?? false);
}

export function updateUser(ctx: Context, rng: Rng, o: Common & { account: AccountRef; props: ModifiedProperty[]; activity?: string }): string {
  const names = o.props.map((p) => p.displayName);
  return audit(ctx, rng, {
    at: o.at, activity: o.activity ?? 'Update user', category: 'UserManagement', service: 'Core Directory',
    operationType: 'Update', actor: o.actor, correlationId: o.correlationId, withResultType: rng.chance(0.3),
    targets: [{
      id: o.account.id, displayName: null, type: 'User', userPrincipalName: o.account.upn,
      modifiedProperties: [...o.props, prop('Included Updated Properties', undefined, names.join(', '))],
    }],
    additionalDetails: [['UserType', 'Member']],
  }, o.planted ?? false);
}

/** Password change / reset activities of Core Directory ("Reset user password", "Change user password"). */
export function passwordActivity(ctx: Context, rng: Rng, o: Common & { account: AccountRef; activity: string }): string {
  return audit(ctx, rng, {
    at: o.at, activity: o.activity, category: 'UserManagement', service: 'Core Directory', operationType: 'Update',
    actor: o.actor, correlationId: o.correlationId,
    targets: [{ id: o.account.id, displayName: o.account.displayName, type: 'User', userPrincipalName: o.account.upn }],
  }, o.planted ?? false);
}

/** The B2C record of a completed sign-up through a policy. */
export function signUpCompleted(ctx: Context, rng: Rng, o: { at: Instant; consumerId: string; ip: string; policyId: string; app: App; correlationId?: string; planted?: boolean }): string {
  return audit(ctx, rng, {
    at: o.at, activity: 'A self-service sign-up request was completed', category: 'UserManagement', service: 'B2C',
    operationType: 'Add', actor: { kind: 'consumer', id: o.consumerId, ip: o.ip }, correlationId: o.correlationId,
    targets: [{ id: o.consumerId, displayName: null, type: 'User' }],
    additionalDetails: [['TenantId', TENANT_ID], ['PolicyId', o.policyId], ['ApplicationId', o.app.appId], ['Client', 'Browser'], ['ClientIpAddress', o.ip]],
  }, o.planted ?? false);
}

/** B2C configuration objects changed from the portal or Graph. */
export type B2cObject = 'custom policy' | 'user flow' | 'API connector' | 'identity provider' | 'policy key';

const B2C_OBJECT_TYPE: Record<B2cObject, string> = {
  'custom policy': 'Policy',
  'user flow': 'Policy',
  'API connector': 'Other',
  'identity provider': 'Other',
  'policy key': 'Other',
};

/** "Create custom policy", "Update user flow", "Delete API connector", "Get custom policies", ... */
export function b2cConfigChange(ctx: Context, rng: Rng, o: Common & { activity: string; object: B2cObject; name: string; details?: Array<[string, string]> }): string {
  const verb = o.activity.split(' ')[0];
  const operationType = verb === 'Create' || verb === 'Upload' ? 'Add' : verb === 'Delete' ? 'Delete' : verb === 'Get' ? '' : 'Update';
  return audit(ctx, rng, {
    at: o.at, activity: o.activity, category: o.object === 'policy key' ? 'KeyManagement' : 'ResourceManagement',
    service: 'B2C', operationType, actor: o.actor, correlationId: o.correlationId,
    targets: [{ id: o.object === 'custom policy' || o.object === 'user flow' ? o.name : stableId(`${o.object}:${o.name}`), displayName: o.name, type: B2C_OBJECT_TYPE[o.object] }],
    additionalDetails: [['TenantId', TENANT_ID], ...(o.details ?? [])],
  }, o.planted ?? false);
}

export function conditionalAccessChange(ctx: Context, rng: Rng, o: Common & { activity: 'Add conditional access policy' | 'Update conditional access policy' | 'Delete conditional access policy'; name: string; oldPolicy?: unknown; newPolicy?: unknown }): string {
  return audit(ctx, rng, {
    at: o.at, activity: o.activity, category: 'Policy', service: 'Conditional Access',
    operationType: o.activity.startsWith('Add') ? 'Add' : o.activity.startsWith('Delete') ? 'Delete' : 'Update',
    actor: o.actor, correlationId: o.correlationId,
    targets: [{
      id: stableId(`ca:${o.name}`), displayName: o.name, type: 'Policy',
      modifiedProperties: [prop('ConditionalAccessPolicy', o.oldPolicy, o.newPolicy)],
    }],
  }, o.planted ?? false);
}

/** A Conditional Access policy object as Entra logs it in modifiedProperties. */
export function caPolicy(name: string, state: 'enabled' | 'disabled' | 'enabledForReportingButNotEnforced', extra: { excludeUsers?: string[]; clientAppTypes?: string[]; grant?: string[] } = {}): Record<string, unknown> {
  return {
    id: stableId(`ca:${name}`),
    displayName: name,
    createdDateTime: '2026-03-14T09:12:44.1234567+00:00',
    state,
    conditions: {
      applications: { includeApplications: ['All'], excludeApplications: [] },
      users: { includeUsers: [], excludeUsers: extra.excludeUsers ?? [], includeRoles: ['62e90394-69f5-4237-9190-012177145e10'] },
      clientAppTypes: extra.clientAppTypes ?? ['all'],
    },
    grantControls: { operator: 'OR', builtInControls: extra.grant ?? ['mfa'] },
  };
}

export interface RoleRef {
  displayName: string;
  templateId: string;
}

export const ROLES = {
  globalAdministrator: { displayName: 'Global Administrator', templateId: '62e90394-69f5-4237-9190-012177145e10' },
  privilegedRoleAdministrator: { displayName: 'Privileged Role Administrator', templateId: 'e8611ab8-c189-46e8-94e1-60213ab1f814' },
  globalReader: { displayName: 'Global Reader', templateId: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451' },
  helpdeskAdministrator: { displayName: 'Helpdesk Administrator', templateId: '729827e3-9c14-49f7-bb1b-9608f156bbb8' },
  reportsReader: { displayName: 'Reports Reader', templateId: '4a5d8f65-41da-4de4-8968-e035b65339cf' },
  applicationAdministrator: { displayName: 'Application Administrator', templateId: '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3' },
} as const;

export function roleAssignment(ctx: Context, rng: Rng, o: Common & {
  activity?: 'Add member to role' | 'Add eligible member to role' | 'Add scoped member to role';
  target: { id: string; displayName: string | null; type: 'User' | 'ServicePrincipal'; upn?: string };
  role: RoleRef;
}): string {
  return audit(ctx, rng, {
    at: o.at, activity: o.activity ?? 'Add member to role', category: 'RoleManagement', service: 'Core Directory',
    operationType: 'Assign', actor: o.actor, correlationId: o.correlationId,
    targets: [{
      id: o.target.id, displayName: o.target.displayName, type: o.target.type, userPrincipalName: o.target.upn ?? null,
      modifiedProperties: [
        prop('Role.ObjectID', undefined, stableId(`role:${o.role.templateId}`)),
        prop('Role.DisplayName', undefined, o.role.displayName),
        prop('Role.TemplateId', undefined, o.role.templateId),
        prop('Role.WellKnownObjectName', undefined, o.role.displayName.replace(/ /g, '')),
      ],
    }],
  }, o.planted ?? false);
}

export function applicationObjectId(app: App): string {
  return stableId(`application:${app.appId}`);
}

/** "Update application" (or a variant) on an application object with the given modified properties. */
export function applicationChange(ctx: Context, rng: Rng, o: Common & { app: App; props: ModifiedProperty[]; activity?: string }): string {
  const names = o.props.map((p) => p.displayName).join(', ');
  return audit(ctx, rng, {
    at: o.at, activity: o.activity ?? 'Update application', category: 'ApplicationManagement', service: 'Core Directory',
    operationType: 'Update', actor: o.actor, correlationId: o.correlationId,
    targets: [{
      id: applicationObjectId(o.app), displayName: o.app.displayName, type: 'Application',
      modifiedProperties: [...o.props, prop('Included Updated Properties', undefined, names)],
    }],
    additionalDetails: [['AppId', o.app.appId], ['User-Agent', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0']],
  }, o.planted ?? false);
}

/** An AppAddress value: the reply URLs as Entra logs them. */
export function appAddresses(uris: readonly string[]): Array<Record<string, unknown>> {
  return uris.map((u) => ({ AddressType: 0, Address: u, ReplyAddressClientType: 1, ReplyAddressIndex: null, IsReplyAddressDefault: false }));
}

/** A password credential description as logged in KeyDescription. */
export function keyDescription(rng: Rng, displayName: string): string {
  return `[KeyIdentifier=${rng.uuid()},KeyType=Password,KeyUsage=Verify,DisplayName=${displayName}]`;
}

export function addOwnerToApplication(ctx: Context, rng: Rng, o: Common & { app: App; owner: AccountRef }): string {
  return audit(ctx, rng, {
    at: o.at, activity: 'Add owner to application', category: 'ApplicationManagement', service: 'Core Directory',
    operationType: 'Assign', actor: o.actor, correlationId: o.correlationId,
    targets: [
      { id: o.owner.id, displayName: null, type: 'User', userPrincipalName: o.owner.upn },
      {
        id: applicationObjectId(o.app), displayName: o.app.displayName, type: 'Application',
        modifiedProperties: [
          prop('Application.ObjectID', undefined, applicationObjectId(o.app)),
          prop('Application.DisplayName', undefined, o.app.displayName),
          prop('Application.AppId', undefined, o.app.appId),
        ],
      },
    ],
  }, o.planted ?? false);
}

function servicePrincipalTarget(app: App, props?: ModifiedProperty[]): TargetResource {
  return { id: app.servicePrincipalId, displayName: app.displayName, type: 'ServicePrincipal', modifiedProperties: props };
}

export function delegatedGrant(ctx: Context, rng: Rng, o: Common & { client: App; resource: App; scope: string; consentType: 'AllPrincipals' | 'Principal' }): string {
  return audit(ctx, rng, {
    at: o.at, activity: 'Add delegated permission grant', category: 'ApplicationManagement', service: 'Core Directory',
    operationType: 'Assign', actor: o.actor, correlationId: o.correlationId,
    targets: [
      servicePrincipalTarget(o.resource, [
        prop('DelegatedPermissionGrant.Scope', undefined, ` ${o.scope}`),
        prop('DelegatedPermissionGrant.ConsentType', undefined, o.consentType),
        prop('ServicePrincipal.ObjectID', undefined, o.client.servicePrincipalId),
        prop('ServicePrincipal.DisplayName', undefined, o.client.displayName),
        prop('ServicePrincipal.AppId', undefined, o.client.appId),
        prop('ServicePrincipal.Name', undefined, o.client.displayName),
      ]),
      servicePrincipalTarget(o.client),
    ],
  }, o.planted ?? false);
}

export function appRoleAssignment(ctx: Context, rng: Rng, o: Common & { client: App; resource: App; role: string }): string {
  const created = new Date(o.at.ms).toISOString();
  return audit(ctx, rng, {
    at: o.at, activity: 'Add app role assignment to service principal', category: 'ApplicationManagement',
    service: 'Core Directory', operationType: 'Assign', actor: o.actor, correlationId: o.correlationId,
    targets: [
      servicePrincipalTarget(o.resource, [
        prop('AppRole.Id', undefined, stableId(`approle:${o.resource.appId}:${o.role}`)),
        prop('AppRole.Value', undefined, o.role),
        prop('AppRole.DisplayName', undefined, o.role.replace(/\./g, ' ')),
        prop('AppRoleAssignment.CreatedDateTime', undefined, created),
        prop('AppRoleAssignment.LastModifiedDateTime', undefined, created),
        prop('ServicePrincipal.ObjectID', undefined, o.client.servicePrincipalId),
        prop('ServicePrincipal.DisplayName', undefined, o.client.displayName),
        prop('ServicePrincipal.AppId', undefined, o.client.appId),
        prop('ServicePrincipal.Name', undefined, o.client.displayName),
      ]),
      servicePrincipalTarget(o.client),
    ],
  }, o.planted ?? false);
}

/** "Add app role assignment grant to user": a user assigned to an application (not a permission grant). */
export function userAssignedToApp(ctx: Context, rng: Rng, o: Common & { app: App; user: AccountRef }): string {
  return audit(ctx, rng, {
    at: o.at, activity: 'Add app role assignment grant to user', category: 'UserManagement', service: 'Core Directory',
    operationType: 'Assign', actor: o.actor, correlationId: o.correlationId,
    targets: [
      servicePrincipalTarget(o.app, [
        prop('AppRole.Id', undefined, '00000000-0000-0000-0000-000000000000'),
        prop('AppRole.Value', undefined, ''),
        prop('User.ObjectID', undefined, o.user.id),
        prop('User.UPN', undefined, o.user.upn),
      ]),
      { id: o.user.id, displayName: null, type: 'User', userPrincipalName: o.user.upn },
    ],
  }, o.planted ?? false);
}

/** An audit from the MFA or Authentication Methods service about one account. */
export function accountSecurityEvent(ctx: Context, rng: Rng, o: Common & { activity: string; service: AuditService; account: AccountRef; resultReason?: string }): string {
  return audit(ctx, rng, {
    at: o.at, activity: o.activity, category: 'UserManagement', service: o.service, operationType: o.service === 'MFA' ? '' : 'Add',
    actor: o.actor, correlationId: o.correlationId, resultReason: o.resultReason,
    targets: [{ id: o.account.id, displayName: o.account.displayName, type: 'User', userPrincipalName: o.account.upn }],
  }, o.planted ?? false);
}

/**
 * Builds AuditLogs records as Azure Monitor diagnostic settings stream them: `level: "Informational"`,
 * often no `resultType`, the Graph directoryAudit object under `properties`, and modifiedProperties whose
 * `oldValue` / `newValue` are JSON-ENCODED strings ("[\"https://a\"]", "\"Global Administrator\"").
 */
import type { Rng } from './prng.js';
import { formatOffsetTime7, formatTime7, type Instant } from './time.js';
import { RESOURCE_ID, TENANT_ID, type App, type StaffAccount } from './world.js';
import type { BuiltRecord } from './signin-record.js';

export interface ModifiedProperty {
  displayName: string;
  oldValue: string | null;
  newValue: string | null;
}

/** A modified property; values are JSON-encoded as Entra logs them (`undefined` -> null). */
export function prop(displayName: string, oldValue: unknown, newValue: unknown): ModifiedProperty {
  return {
    displayName,
    oldValue: oldValue === undefined ? null : JSON.stringify(oldValue),
    newValue: newValue === undefined ? null : JSON.stringify(newValue),
  };
}

export interface TargetResource {
  id: string;
  displayName: string | null;
  type: string;
  userPrincipalName?: string | null;
  modifiedProperties?: ModifiedProperty[];
}

export type Actor =
  | { kind: 'user'; account: StaffAccount; ip: string }
  | { kind: 'app'; app: App }
  /** a consumer acting through a B2C policy: object id only, as B2C logs it */
  | { kind: 'consumer'; id: string; ip: string };

export type AuditService = 'Core Directory' | 'B2C' | 'Conditional Access' | 'Authentication Methods' | 'MFA';

export interface AuditSpec {
  at: Instant;
  activity: string;
  category: string;
  service: AuditService;
  operationType: 'Add' | 'Update' | 'Delete' | 'Assign' | 'Unassign' | '';
  actor: Actor;
  targets: TargetResource[];
  result?: 'success' | 'failure';
  resultReason?: string;
  additionalDetails?: Array<[string, string]>;
  correlationId?: string;
  userAgent?: string | null;
  /** write a top-level resultType ("Success"/"Failure"); audits often have none */
  withResultType?: boolean;
}

const ID_PREFIX: Record<AuditService, string> = {
  'Core Directory': 'Directory',
  B2C: 'B2C',
  'Conditional Access': 'IPCGraph',
  'Authentication Methods': 'UserManagement',
  MFA: 'MFA',
};

function auditId(service: AuditService, rng: Rng): string {
  const digits = service === 'B2C' ? 7 : 8;
  return `${ID_PREFIX[service]}_${rng.alnum(5)}_${rng.digits(digits)}`;
}

function initiatedByOf(actor: Actor): Record<string, unknown> {
  switch (actor.kind) {
    case 'user':
      return { user: { id: actor.account.id, displayName: null, userPrincipalName: actor.account.upn, ipAddress: actor.ip, roles: [] } };
    case 'consumer':
      return { user: { id: actor.id, displayName: null, userPrincipalName: null, ipAddress: actor.ip, roles: [] } };
    case 'app':
      return {
        app: {
          appId: actor.app.appId,
          displayName: actor.app.displayName,
          servicePrincipalId: actor.app.servicePrincipalId,
          servicePrincipalName: actor.app.displayName,
        },
      };
  }
}

function identityOf(actor: Actor): string {
  switch (actor.kind) {
    case 'user':
      return actor.account.upn;
    case 'consumer':
      return actor.id;
    case 'app':
      return actor.app.displayName;
  }
}

export function buildAudit(spec: AuditSpec, rng: Rng): BuiltRecord {
  const id = auditId(spec.service, rng);
  const correlationId = spec.correlationId ?? rng.uuid();
  const result = spec.result ?? 'success';
  const initiatedBy = initiatedByOf(spec.actor);
  const properties: Record<string, unknown> = {
    id,
    category: spec.category,
    correlationId,
    result,
    resultReason: spec.resultReason ?? '',
    activityDisplayName: spec.activity,
    activityDateTime: formatOffsetTime7(spec.at),
    loggedByService: spec.service,
    operationType: spec.operationType,
    userAgent: spec.userAgent ?? null,
    initiatedBy,
    targetResources: spec.targets.map((t) => ({
      id: t.id,
      displayName: t.displayName,
      type: t.type,
      userPrincipalName: t.userPrincipalName ?? null,
      groupType: null,
      modifiedProperties: t.modifiedProperties ?? [],
      administrativeUnits: [],
    })),
    additionalDetails: (spec.additionalDetails ?? []).map(([key, value]) => ({ key, value })),
  };
  const record: Record<string, unknown> = {
    time: formatTime7(spec.at),
    resourceId: RESOURCE_ID,
    operationName: spec.activity,
    operationVersion: '1.0',
    category: 'AuditLogs',
    tenantId: TENANT_ID,
    ...(spec.withResultType ? { resultType: result === 'success' ? 'Success' : 'Failure' } : {}),
    resultSignature: 'None',
    durationMs: 0,
    callerIpAddress: spec.actor.kind === 'app' ? '<null>' : spec.actor.ip,
    correlationId,
    identity: identityOf(spec.actor),
    level: 'Informational',
    properties,
  };
  return { id, at: spec.at, record };
}

/** The target of a user-management event. */
export function userTarget(user: { id: string; upn: string; displayName?: string | null }, modifiedProperties?: ModifiedProperty[]): TargetResource {
  return { id: user.id, displayName: user.displayName ?? null, type: 'User', userPrincipalName: user.upn, modifiedProperties };
}

/**
 * Category and kind. `category` is the diagnostic-settings category; records without one (Graph JSON, portal CSV,
 * odd shippers) get it inferred from their content. kind: sign-in categories -> signin, audit -> audit, risk ->
 * risk, anything else -> other (never dropped).
 */
import type { EventKind } from './event.js';
import { memoByString } from './memo.js';
import { isObject, text, toBoolean, type JsonObject } from './values.js';

const KIND_BY_CATEGORY = new Map<string, EventKind>([
  ['signinlogs', 'signin'],
  ['noninteractiveusersigninlogs', 'signin'],
  ['serviceprincipalsigninlogs', 'signin'],
  ['managedidentitysigninlogs', 'signin'],
  ['auditlogs', 'audit'],
  ['audit', 'audit'], // legacy audit shape
  ['riskyusers', 'risk'],
  ['userriskevents', 'risk'],
]);

/** Canonical spelling of the categories entrawatch knows, by lowercase name. */
const CANONICAL_CATEGORY = new Map<string, string>([
  ['signinlogs', 'SignInLogs'],
  ['noninteractiveusersigninlogs', 'NonInteractiveUserSignInLogs'],
  ['serviceprincipalsigninlogs', 'ServicePrincipalSignInLogs'],
  ['managedidentitysigninlogs', 'ManagedIdentitySignInLogs'],
  ['auditlogs', 'AuditLogs'],
  ['audit', 'AuditLogs'], // the legacy shape is read as AuditLogs (fields.category); raw keeps "Audit"
  ['riskyusers', 'RiskyUsers'],
  ['userriskevents', 'UserRiskEvents'],
]);

/** By the exact spelling seen (memoByString): lowercasing the category of every record costs more than the lookup. */
export const kindOfCategory: (category: string) => EventKind = memoByString(
  (category) => KIND_BY_CATEGORY.get(category.toLowerCase()) ?? 'other',
);

/** Known categories in their canonical spelling; unknown ones unchanged. */
export const canonicalCategory: (category: string) => string = memoByString(
  (category) => CANONICAL_CATEGORY.get(category.toLowerCase()) ?? category,
);

function looksLikeAudit(p: JsonObject): boolean {
  return p.activityDisplayName !== undefined || p.targetResources !== undefined || p.initiatedBy !== undefined ||
    p.loggedByService !== undefined;
}

function signInCategory(p: JsonObject, interactiveHint: boolean | undefined): string {
  // Graph beta carries signInEventTypes: ["interactiveUser"] / ["nonInteractiveUser"] / ["servicePrincipal"] / ["managedIdentity"]
  const types = Array.isArray(p.signInEventTypes) ? (p.signInEventTypes as unknown[]) : [];
  if (types.includes('managedIdentity')) return 'ManagedIdentitySignInLogs';
  if (types.includes('servicePrincipal')) return 'ServicePrincipalSignInLogs';
  if (types.includes('nonInteractiveUser')) return 'NonInteractiveUserSignInLogs';
  if (types.includes('interactiveUser')) return 'SignInLogs';
  const hasUser = text(p.userId) !== undefined || text(p.userPrincipalName) !== undefined;
  if (!hasUser) {
    const msi = isObject(p.managedServiceIdentity) ? text(p.managedServiceIdentity.msiType) : text(p.managedIdentityType);
    if (msi !== undefined && msi.toLowerCase() !== 'none') return 'ManagedIdentitySignInLogs';
    if (text(p.servicePrincipalId) !== undefined || text(p.servicePrincipalName) !== undefined) {
      return 'ServicePrincipalSignInLogs';
    }
  }
  const interactive = toBoolean(p.isInteractive) ?? interactiveHint;
  return interactive === false ? 'NonInteractiveUserSignInLogs' : 'SignInLogs';
}

/**
 * Infer the category of a record without one from its Graph-named properties (for an Azure Monitor record, its
 * `properties`; `operationName` helps). `interactiveHint`: what the source says when the record does not
 * (a portal CSV named NonInteractiveSignIns_*).
 */
export function inferCategory(p: JsonObject, operationName?: unknown, interactiveHint?: boolean): string {
  const op = typeof operationName === 'string' ? operationName : '';
  if (op === 'Sign-in activity') return signInCategory(p, interactiveHint);
  if (op === 'Risky user') return 'RiskyUsers';
  if (op === 'User Risk Detection') return 'UserRiskEvents';
  if (looksLikeAudit(p)) return 'AuditLogs';
  if (p.riskEventType !== undefined) return 'UserRiskEvents';
  if (p.riskLevel !== undefined && p.riskState !== undefined && p.createdDateTime === undefined) return 'RiskyUsers';
  if (p.createdDateTime !== undefined || p.status !== undefined || p.appId !== undefined || p.isInteractive !== undefined) {
    return signInCategory(p, interactiveHint);
  }
  return 'Unknown';
}

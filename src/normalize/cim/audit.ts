/**
 * CIM Change fields of audit events (AuditLogs and the legacy "Audit" shape), after the Splunk Add-on's
 * azure:monitor:aad mapping, simplified from its per-activity lists to rules that hold for every activity:
 * - user: the UPN of the first target of type User (user and role operations), else
 *   coalesce(initiatedBy.user.userPrincipalName, properties.userPrincipalName, properties.servicePrincipalName);
 * - src_user: initiatedBy.user UPN, else its displayName, else the initiating app's displayName;
 *   src_user_type: "external identity" (UPN with #EXT#) / "userPrincipal" / "servicePrincipal";
 * - object / object_id / object_category: the first target (UPN or displayName, id, type lowercased);
 *   object_attrs: the names of all modified properties (without "Included Updated Properties");
 * - status: success when properties.result is "success", else failure (as the add-on); result and reason:
 *   resultReason (result only on failure, as CIM asks); change_type: properties.category (UserManagement...);
 *   dvc: loggedByService; user_agent: properties.userAgent, else additionalDetails "User-Agent", else the B2C
 *   "Client" detail; app: "Azure AD" (audits carry no appDisplayName).
 */
import { detailValue, firstText, get, isObject, text, type JsonObject } from '../values.js';
import { changeAction } from './change-action.js';
import { IDENTITY_ROWS, principalType, sourceIp } from './common.js';
import type { CimContext, CimTable } from './table.js';

interface AuditFacts {
  targets: JsonObject[];
  userTarget: JsonObject | undefined;
}

/** Computed once per event, shared by the rows below. */
function facts(c: CimContext): AuditFacts {
  if (c.memo !== undefined) return c.memo as AuditFacts;
  const targets = Array.isArray(c.p.targetResources) ? c.p.targetResources.filter(isObject) : [];
  const userTarget = targets.find(
    (t) => typeof t.type === 'string' && t.type.toLowerCase() === 'user' && text(t.userPrincipalName) !== undefined,
  );
  const memo: AuditFacts = { targets, userTarget };
  c.memo = memo;
  return memo;
}
const targets = (c: CimContext): JsonObject[] => facts(c).targets;
const firstTarget = (c: CimContext): JsonObject | undefined => facts(c).targets[0];
const userTarget = (c: CimContext) => facts(c).userTarget;
const initiator = (c: CimContext) => get(c.p.initiatedBy, 'user');
const initiatingApp = (c: CimContext) => get(c.p.initiatedBy, 'app');

const user = (c: CimContext) =>
  text(userTarget(c)?.userPrincipalName) ??
  firstText(get(initiator(c), 'userPrincipalName'), c.p.userPrincipalName, c.p.servicePrincipalName);
const status = (c: CimContext) => (text(c.p.result) === 'success' ? 'success' : 'failure');

function modifiedPropertyNames(c: CimContext): string[] | undefined {
  const names: string[] = [];
  for (const t of targets(c)) {
    if (!Array.isArray(t.modifiedProperties)) continue;
    for (const m of t.modifiedProperties) {
      const name = text(get(m, 'displayName'));
      if (name !== undefined && name !== 'Included Updated Properties' && !names.includes(name)) names.push(name);
    }
  }
  return names.length > 0 ? names : undefined;
}

export const AUDIT_CIM: CimTable = [
  ...IDENTITY_ROWS,
  ['action', (c) => changeAction(text(c.f.operationName), text(c.p.operationType))],
  ['change_type', (c) => text(c.p.category)],
  ['status', status],
  ['result', (c) => (status(c) === 'failure' ? text(c.p.resultReason) : undefined)],
  ['reason', (c) => text(c.p.resultReason)],
  ['app', () => 'Azure AD'],
  ['dvc', (c) => text(c.p.loggedByService)],
  ['user', user],
  ['user_id', (c) => (userTarget(c) ? text(userTarget(c)?.id) : text(get(initiator(c), 'id')))],
  ['user_type', (c) => {
    if (userTarget(c)) return principalType(user(c), 'userPrincipal');
    if (text(get(initiator(c), 'userPrincipalName')) !== undefined) return principalType(user(c), 'userPrincipal');
    return user(c) !== undefined && text(c.p.servicePrincipalName) === user(c) ? 'servicePrincipal' : undefined;
  }],
  ['src_user', (c) => firstText(get(initiator(c), 'userPrincipalName'), get(initiator(c), 'displayName'), get(initiatingApp(c), 'displayName'))],
  ['src_user_type', (c) => {
    const upn = text(get(initiator(c), 'userPrincipalName'));
    if (upn !== undefined) return principalType(upn, 'userPrincipal');
    const app = initiatingApp(c);
    return firstText(get(app, 'servicePrincipalName'), get(app, 'servicePrincipalId'), get(app, 'displayName')) !== undefined
      ? 'servicePrincipal'
      : undefined;
  }],
  ['src', (c) => sourceIp(c) ?? text(detailValue(c.p.additionalDetails, 'ClientIpAddress'))],
  ['src_ip', (c) => sourceIp(c) ?? text(detailValue(c.p.additionalDetails, 'ClientIpAddress'))],
  ['object', (c) => firstText(firstTarget(c)?.userPrincipalName, firstTarget(c)?.displayName)],
  ['object_id', (c) => text(firstTarget(c)?.id)],
  ['object_category', (c) => text(firstTarget(c)?.type)?.toLowerCase()],
  ['object_attrs', modifiedPropertyNames],
  ['user_agent', (c) =>
    firstText(c.p.userAgent, detailValue(c.p.additionalDetails, 'User-Agent'), detailValue(c.p.additionalDetails, 'Client'))],
];

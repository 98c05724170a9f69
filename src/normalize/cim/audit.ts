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
 * Written as one function (not a table of rows) because every audit goes through it: each value is computed once
 * and the fields are added in one fixed order (the identity fields, then action, change_type, status, result,
 * reason, app, dvc, user, user_id, user_type, src_user, src_user_type, src/src_ip when only the
 * ClientIpAddress detail gives them, object, object_id, object_category, object_attrs, user_agent).
 */
import type { CimFields } from '../event.js';
import { detailValue, firstText, get, isObject, text, type JsonObject } from '../values.js';
import { lowerCase } from '../memo.js';
import { changeAction } from './change-action.js';
import { principalType, putIdentity } from './common.js';
import type { CimContext } from './table.js';

function modifiedPropertyNames(targets: readonly JsonObject[]): string[] | undefined {
  let names: string[] | undefined;
  for (let i = 0; i < targets.length; i++) {
    const list = targets[i].modifiedProperties;
    if (!Array.isArray(list)) continue;
    for (let j = 0; j < list.length; j++) {
      const name = text(get(list[j], 'displayName'));
      if (name === undefined || name === 'Included Updated Properties') continue;
      if (names === undefined) names = [name];
      else if (!names.includes(name)) names.push(name);
    }
  }
  return names;
}

export function auditCim(c: CimContext): CimFields {
  const p = c.p;
  const cim: CimFields = {};
  putIdentity(cim, c);
  const targets: JsonObject[] = [];
  let userTarget: JsonObject | undefined;
  if (Array.isArray(p.targetResources)) {
    for (const t of p.targetResources) {
      if (!isObject(t)) continue;
      targets.push(t);
      if (userTarget === undefined && typeof t.type === 'string' && lowerCase(t.type) === 'user' && text(t.userPrincipalName) !== undefined) {
        userTarget = t;
      }
    }
  }
  const initiatedBy = p.initiatedBy;
  const initiator = get(initiatedBy, 'user');
  const initiatingApp = get(initiatedBy, 'app');
  const initiatorUpn = text(get(initiator, 'userPrincipalName'));

  const action = changeAction(text(c.f.operationName), text(p.operationType));
  if (action !== undefined) cim.action = action;
  const changeType = text(p.category);
  if (changeType !== undefined) cim.change_type = changeType;
  const status = text(p.result) === 'success' ? 'success' : 'failure';
  cim.status = status;
  const reason = text(p.resultReason);
  if (status === 'failure' && reason !== undefined) cim.result = reason;
  if (reason !== undefined) cim.reason = reason;
  cim.app = 'Azure AD';
  const dvc = text(p.loggedByService);
  if (dvc !== undefined) cim.dvc = dvc;
  const user = (userTarget !== undefined ? text(userTarget.userPrincipalName) : undefined) ??
    firstText(initiatorUpn, p.userPrincipalName, p.servicePrincipalName);
  if (user !== undefined) cim.user = user;
  const userId = userTarget !== undefined ? text(userTarget.id) : text(get(initiator, 'id'));
  if (userId !== undefined) cim.user_id = userId;
  const userType = userTarget !== undefined || initiatorUpn !== undefined
    ? principalType(user, 'userPrincipal')
    : user !== undefined && text(p.servicePrincipalName) === user ? 'servicePrincipal' : undefined;
  if (userType !== undefined) cim.user_type = userType;
  const srcUser = firstText(initiatorUpn, get(initiator, 'displayName'), get(initiatingApp, 'displayName'));
  if (srcUser !== undefined) cim.src_user = srcUser;
  const srcUserType = initiatorUpn !== undefined
    ? principalType(initiatorUpn, 'userPrincipal')
    : firstText(get(initiatingApp, 'servicePrincipalName'), get(initiatingApp, 'servicePrincipalId'), get(initiatingApp, 'displayName')) !== undefined
      ? 'servicePrincipal'
      : undefined;
  if (srcUserType !== undefined) cim.src_user_type = srcUserType;
  if (cim.src === undefined) {
    const src = text(detailValue(p.additionalDetails, 'ClientIpAddress'));
    if (src !== undefined) {
      cim.src = src;
      cim.src_ip = src;
    }
  }
  const first = targets[0];
  if (first !== undefined) {
    const object = firstText(first.userPrincipalName, first.displayName);
    if (object !== undefined) cim.object = object;
    const objectId = text(first.id);
    if (objectId !== undefined) cim.object_id = objectId;
    const type = text(first.type);
    const objectCategory = type !== undefined ? lowerCase(type) : undefined;
    if (objectCategory !== undefined) cim.object_category = objectCategory;
  }
  const attrs = modifiedPropertyNames(targets);
  if (attrs !== undefined) cim.object_attrs = attrs;
  // the details are searched only when the ones before are absent
  const agent = text(p.userAgent) ?? text(detailValue(p.additionalDetails, 'User-Agent')) ?? text(detailValue(p.additionalDetails, 'Client'));
  if (agent !== undefined) cim.user_agent = agent;
  return cim;
}

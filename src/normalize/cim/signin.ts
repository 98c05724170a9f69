/**
 * CIM Authentication fields of sign-ins (SignInLogs, NonInteractiveUserSignInLogs, ServicePrincipalSignInLogs,
 * ManagedIdentitySignInLogs), after the Splunk Add-on's azure:monitor:aad mapping, plus entrawatch's documented
 * extras (country, city, error_code, app_id, authentication_protocol, is_interactive).
 * action/status: the add-on says failure when a failureReason exists; entrawatch reads the error code first
 * (0 = success, anything else = failure, e.g. 50140 interrupts), then failureReason, since some successful
 * records carry failureReason "Other.".
 * Written as one function (not a table of rows) because every sign-in goes through it: each value is computed
 * once and the fields are added in one fixed order (dest, vendor_account, dest_type, vendor_product, id,
 * signature, command, src, src_ip, action, status, app, app_id, user, user_id, user_type, reason, signature_id,
 * error_code, authentication_method, is_interactive, authentication_service, authentication_protocol,
 * user_agent, duration, country, city); an absent value leaves its field out.
 */
import type { CimFields } from '../event.js';
import { firstText, get, isObject, text, toNumber } from '../values.js';
import { putIdentityValues, sourceIp } from './common.js';
import type { CimContext } from './table.js';

export function signInCim(c: CimContext): CimFields {
  const p = c.p;
  const tenant = text(c.f.tenantId);
  const id = text(p.id);
  const op = text(c.f.operationName);
  const src = sourceIp(c);
  const status = p.status;
  const errorCode = toNumber(get(status, 'errorCode')) ?? toNumber(c.f.resultType);
  const reason = text(get(status, 'failureReason'));
  const outcome = errorCode !== undefined ? (errorCode === 0 ? 'success' : 'failure') : reason === undefined ? 'success' : 'failure';
  const app = text(p.appDisplayName) ?? 'Azure AD';
  const appId = text(p.appId);
  const user = firstText(p.userPrincipalName, p.servicePrincipalName);
  const userId = firstText(p.servicePrincipalId, p.userId);
  const userType = text(p.servicePrincipalName) !== undefined ? 'ServicePrincipal' : text(p.userType);
  const signatureId = errorCode !== undefined ? text(errorCode) : undefined;
  const interactive = typeof p.isInteractive === 'boolean' ? p.isInteractive : undefined;
  const method = interactive === undefined ? undefined : interactive ? 'Interactive' : 'nonInteractive';
  const service = text(p.tokenIssuerType);
  const protocol = text(p.authenticationProtocol);
  const agent = text(p.userAgent);
  const ms = toNumber(p.processingTimeInMilliseconds);
  const duration = ms !== undefined ? ms / 1000 : undefined;
  const location = isObject(p.location) ? p.location : undefined;
  const country = location !== undefined ? text(location.countryOrRegion) : undefined;
  const city = location !== undefined ? text(location.city) : undefined;

  if (
    tenant !== undefined && id !== undefined && op !== undefined && src !== undefined && appId !== undefined &&
    user !== undefined && userId !== undefined && userType !== undefined && reason === undefined &&
    errorCode !== undefined && signatureId !== undefined && interactive !== undefined && method !== undefined &&
    service !== undefined && protocol !== undefined && agent !== undefined && duration !== undefined &&
    country !== undefined && city !== undefined
  ) {
    // The usual sign-in (no failure reason, every other field present), as one object literal: the same keys in
    // the same order as below, but allocated at once; adding 26 properties one by one cost more than reading them.
    return {
      dest: tenant, vendor_account: tenant, dest_type: 'tenant', vendor_product: 'Azure AD', id, signature: op,
      command: op, src, src_ip: src, action: outcome, status: outcome, app, app_id: appId, user, user_id: userId,
      user_type: userType, signature_id: signatureId, error_code: errorCode, authentication_method: method,
      is_interactive: interactive, authentication_service: service, authentication_protocol: protocol,
      user_agent: agent, duration, country, city,
    };
  }

  const cim: CimFields = {};
  putIdentityValues(cim, tenant, id, op, src);
  cim.action = outcome;
  cim.status = outcome;
  cim.app = app;
  if (appId !== undefined) cim.app_id = appId;
  if (user !== undefined) cim.user = user;
  if (userId !== undefined) cim.user_id = userId;
  if (userType !== undefined) cim.user_type = userType;
  if (reason !== undefined) cim.reason = reason;
  if (errorCode !== undefined) {
    if (signatureId !== undefined) cim.signature_id = signatureId;
    cim.error_code = errorCode;
  }
  if (interactive !== undefined && method !== undefined) {
    cim.authentication_method = method;
    cim.is_interactive = interactive;
  }
  if (service !== undefined) cim.authentication_service = service;
  if (protocol !== undefined) cim.authentication_protocol = protocol;
  if (agent !== undefined) cim.user_agent = agent;
  if (duration !== undefined) cim.duration = duration;
  if (country !== undefined) cim.country = country;
  if (city !== undefined) cim.city = city;
  return cim;
}

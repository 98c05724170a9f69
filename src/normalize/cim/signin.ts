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
import { putIdentity } from './common.js';
import type { CimContext } from './table.js';

export function signInCim(c: CimContext): CimFields {
  const p = c.p;
  const cim: CimFields = {};
  putIdentity(cim, c);
  const status = p.status;
  const errorCode = toNumber(get(status, 'errorCode')) ?? toNumber(c.f.resultType);
  const reason = text(get(status, 'failureReason'));
  const outcome = errorCode !== undefined ? (errorCode === 0 ? 'success' : 'failure') : reason === undefined ? 'success' : 'failure';
  cim.action = outcome;
  cim.status = outcome;
  cim.app = text(p.appDisplayName) ?? 'Azure AD';
  const appId = text(p.appId);
  if (appId !== undefined) cim.app_id = appId;
  const user = firstText(p.userPrincipalName, p.servicePrincipalName);
  if (user !== undefined) cim.user = user;
  const userId = firstText(p.servicePrincipalId, p.userId);
  if (userId !== undefined) cim.user_id = userId;
  const userType = text(p.servicePrincipalName) !== undefined ? 'ServicePrincipal' : text(p.userType);
  if (userType !== undefined) cim.user_type = userType;
  if (reason !== undefined) cim.reason = reason;
  if (errorCode !== undefined) {
    const signatureId = text(errorCode);
    if (signatureId !== undefined) cim.signature_id = signatureId;
    cim.error_code = errorCode;
  }
  const interactive = typeof p.isInteractive === 'boolean' ? p.isInteractive : undefined;
  if (interactive !== undefined) {
    cim.authentication_method = interactive ? 'Interactive' : 'nonInteractive';
    cim.is_interactive = interactive;
  }
  const service = text(p.tokenIssuerType);
  if (service !== undefined) cim.authentication_service = service;
  const protocol = text(p.authenticationProtocol);
  if (protocol !== undefined) cim.authentication_protocol = protocol;
  const agent = text(p.userAgent);
  if (agent !== undefined) cim.user_agent = agent;
  const ms = toNumber(p.processingTimeInMilliseconds);
  if (ms !== undefined) cim.duration = ms / 1000;
  if (isObject(p.location)) {
    const country = text(p.location.countryOrRegion);
    if (country !== undefined) cim.country = country;
    const city = text(p.location.city);
    if (city !== undefined) cim.city = city;
  }
  return cim;
}

/**
 * CIM Authentication fields of sign-ins (SignInLogs, NonInteractiveUserSignInLogs, ServicePrincipalSignInLogs,
 * ManagedIdentitySignInLogs), after the Splunk Add-on's azure:monitor:aad mapping, plus entrawatch's documented
 * extras (country, city, error_code, app_id, authentication_protocol, is_interactive).
 * action/status: the add-on says failure when a failureReason exists; entrawatch reads the error code first
 * (0 = success, anything else = failure, e.g. 50140 interrupts), then failureReason, since some successful
 * records carry failureReason "Other.".
 */
import { firstText, get, isObject, text, toNumber } from '../values.js';
import { IDENTITY_ROWS } from './common.js';
import type { CimContext, CimTable } from './table.js';

const errorCode = (c: CimContext) => toNumber(get(c.p.status, 'errorCode')) ?? toNumber(c.f.resultType);
const outcome = (c: CimContext) => {
  const code = errorCode(c);
  if (code !== undefined) return code === 0 ? 'success' : 'failure';
  return text(get(c.p.status, 'failureReason')) === undefined ? 'success' : 'failure';
};
const interactive = (c: CimContext) => (typeof c.p.isInteractive === 'boolean' ? c.p.isInteractive : undefined);
const location = (c: CimContext) => (isObject(c.p.location) ? c.p.location : undefined);

export const SIGNIN_CIM: CimTable = [
  ...IDENTITY_ROWS,
  ['action', outcome],
  ['status', outcome],
  ['app', (c) => text(c.p.appDisplayName) ?? 'Azure AD'],
  ['app_id', (c) => text(c.p.appId)],
  ['user', (c) => firstText(c.p.userPrincipalName, c.p.servicePrincipalName)],
  ['user_id', (c) => firstText(c.p.servicePrincipalId, c.p.userId)],
  ['user_type', (c) => (text(c.p.servicePrincipalName) !== undefined ? 'ServicePrincipal' : text(c.p.userType))],
  ['reason', (c) => text(get(c.p.status, 'failureReason'))],
  ['signature_id', (c) => text(errorCode(c))],
  ['error_code', errorCode],
  ['authentication_method', (c) => {
    const i = interactive(c);
    return i === undefined ? undefined : i ? 'Interactive' : 'nonInteractive';
  }],
  ['is_interactive', interactive],
  ['authentication_service', (c) => text(c.p.tokenIssuerType)],
  ['authentication_protocol', (c) => text(c.p.authenticationProtocol)],
  ['user_agent', (c) => text(c.p.userAgent)],
  ['duration', (c) => {
    const ms = toNumber(c.p.processingTimeInMilliseconds);
    return ms === undefined ? undefined : ms / 1000;
  }],
  ['country', (c) => text(location(c)?.countryOrRegion)],
  ['city', (c) => text(location(c)?.city)],
];

/**
 * CIM fields of Identity Protection records (RiskyUsers, UserRiskEvents), after the Splunk Add-on:
 * severity = properties.riskLevel, signature = signature_id = operationName ("Risky user" / "User Risk Detection"),
 * app "Azure AD", user = userPrincipalName, description = riskState (+ ", " + riskType for detections),
 * authentication_service = tokenIssuerType; src from ipAddress; country and city from location.
 */
import { firstText, get, text } from '../values.js';
import { IDENTITY_ROWS, operation } from './common.js';
import type { CimTable } from './table.js';

export const RISK_CIM: CimTable = [
  ...IDENTITY_ROWS,
  ['signature_id', operation],
  ['severity', (c) => text(c.p.riskLevel)],
  ['app', () => 'Azure AD'],
  ['user', (c) => firstText(c.p.userPrincipalName, c.p.servicePrincipalName)],
  ['user_id', (c) => firstText(c.p.servicePrincipalId, c.p.userId)],
  ['description', (c) => {
    const state = text(c.p.riskState);
    const type = text(c.p.riskEventType) ?? text(c.p.riskType);
    return c.category === 'UserRiskEvents' && state !== undefined && type !== undefined ? `${state}, ${type}` : state;
  }],
  ['authentication_service', (c) => text(c.p.tokenIssuerType)],
  ['country', (c) => text(get(c.p.location, 'countryOrRegion'))],
  ['city', (c) => text(get(c.p.location, 'city'))],
];

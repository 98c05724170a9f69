/**
 * CIM fields of records of any other category (ProvisioningLogs, ADFSSignInLogs, MicrosoftGraphActivityLogs...):
 * only what the Add-on maps for every azure:monitor:aad record, plus app and user when the record names them.
 */
import { firstText, get, text } from '../values.js';
import { IDENTITY_ROWS } from './common.js';
import type { CimTable } from './table.js';

export const OTHER_CIM: CimTable = [
  ...IDENTITY_ROWS,
  ['app', (c) => text(c.p.appDisplayName)],
  ['user', (c) => firstText(get(get(c.p.initiatedBy, 'user'), 'userPrincipalName'), c.p.userPrincipalName, c.p.servicePrincipalName)],
  ['user_agent', (c) => text(c.p.userAgent)],
];

/**
 * CIM rows every kind shares, as the Splunk Add-on for Microsoft Cloud Services maps azure:monitor:aad:
 * dest = vendor_account = tenantId, dest_type "tenant", vendor_product "Azure AD", id = properties.id,
 * signature = command = operationName, src = src_ip = callerIpAddress (entrawatch falls back to
 * properties.ipAddress when callerIpAddress is missing or "<null>").
 * IDENTITY_ROWS (for the table-driven kinds) and putIdentity (for the hand-written sign-in and audit builders)
 * add the same fields in the same order.
 */
import type { CimFields } from '../event.js';
import { get, text } from '../values.js';
import type { CimContext, CimRow } from './table.js';

export const tenant = (c: CimContext) => text(c.f.tenantId);
/** Lazy: the initiator's address is looked up only when the record's own addresses are absent (not for sign-ins). */
export const sourceIp = (c: CimContext) =>
  text(c.f.callerIpAddress) ?? text(c.p.ipAddress) ?? text(get(get(c.p.initiatedBy, 'user'), 'ipAddress'));
export const operation = (c: CimContext) => text(c.f.operationName);

export const IDENTITY_ROWS: readonly CimRow[] = [
  ['dest', tenant],
  ['vendor_account', tenant],
  ['dest_type', () => 'tenant'],
  ['vendor_product', () => 'Azure AD'],
  ['id', (c) => text(c.p.id)],
  ['signature', operation],
  ['command', operation],
  ['src', sourceIp],
  ['src_ip', sourceIp],
];

/** The IDENTITY_ROWS fields, each computed once, in the same order. */
export function putIdentity(cim: CimFields, c: CimContext): void {
  putIdentityValues(cim, text(c.f.tenantId), text(c.p.id), text(c.f.operationName), sourceIp(c));
}

/** putIdentity with the values already computed (tenant, properties.id, operationName, source IP). */
export function putIdentityValues(
  cim: CimFields,
  t: string | undefined,
  id: string | undefined,
  op: string | undefined,
  src: string | undefined,
): void {
  if (t !== undefined) {
    cim.dest = t;
    cim.vendor_account = t;
  }
  cim.dest_type = 'tenant';
  cim.vendor_product = 'Azure AD';
  if (id !== undefined) cim.id = id;
  if (op !== undefined) {
    cim.signature = op;
    cim.command = op;
  }
  if (src !== undefined) {
    cim.src = src;
    cim.src_ip = src;
  }
}

/** "external identity" for guest UPNs (#EXT#), else `plain`. */
export function principalType(upn: string | undefined, plain: string): string | undefined {
  if (upn === undefined) return undefined;
  return upn.includes('#EXT#') ? 'external identity' : plain;
}

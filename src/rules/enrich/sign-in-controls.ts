/**
 * PA-8: for sign-ins of privileged accounts (`privileged_accounts` placeholder),
 * `entrawatch.unapproved_controls` lists which expected controls the sign-in missed: country (not in
 * `admin_approved_countries`), ip (outside `admin_approved_ip_ranges`, CIDR v4/v6), browser (not starting with one
 * of `admin_approved_browsers`), os (not in `admin_approved_os`). The PA-8 rule matches this field (Sigma's
 * cidr does not combine with expand) and it tells the analyst why it fired. A control whose placeholder is empty is not checked.
 */
import { BlockList, isIP } from 'node:net';
import type { EntraEvent } from '../../normalize/event.js';
import { isObject, placeholderSet, properties, setDerived } from './record.js';

export function compileCidrs(ranges: readonly string[]): BlockList {
  const list = new BlockList();
  for (const range of ranges) {
    const [address, prefix] = range.trim().split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (isIP(address) === 0) continue;
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

export function createSignInControlsEnricher(
  placeholders: Record<string, readonly string[]> | undefined,
): (event: EntraEvent) => void {
  const admins = placeholderSet(placeholders, 'privileged_accounts');
  const countries = placeholderSet(placeholders, 'admin_approved_countries');
  const browsers = [...placeholderSet(placeholders, 'admin_approved_browsers')];
  const oses = placeholderSet(placeholders, 'admin_approved_os');
  const ranges = placeholders?.['admin_approved_ip_ranges'] ?? [];
  const cidrs = compileCidrs(ranges);
  return (event) => {
    if (event.kind !== 'signin' || admins.size === 0) return;
    const p = properties(event);
    const upn = p?.['userPrincipalName'];
    if (!p || typeof upn !== 'string' || !admins.has(upn.toLowerCase())) return;
    const failed: string[] = [];
    const location = isObject(p['location']) ? p['location'] : {};
    const device = isObject(p['deviceDetail']) ? p['deviceDetail'] : {};
    const country = String(location['countryOrRegion'] ?? '').toLowerCase();
    if (countries.size > 0 && !countries.has(country)) failed.push('country');
    if (ranges.length > 0) {
      const ip = String(p['ipAddress'] ?? '');
      const family = isIP(ip);
      if (family === 0 || !cidrs.check(ip, family === 6 ? 'ipv6' : 'ipv4')) failed.push('ip');
    }
    const browser = String(device['browser'] ?? '').toLowerCase();
    if (browsers.length > 0 && !browsers.some((b) => browser.startsWith(b))) failed.push('browser');
    const os = String(device['operatingSystem'] ?? '').toLowerCase();
    if (oses.size > 0 && !oses.has(os)) failed.push('os');
    setDerived(event, 'unapproved_controls', failed);
  };
}

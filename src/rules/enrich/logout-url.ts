/**
 * AP-12: what a sign-out URL change sets. For audit records modifying LogoutUrl it derives
 * `entrawatch.logout_url` (the new value) and `entrawatch.logout_url_issues`: blank (removed or empty), invalid
 * (not a URL), not_https, uncontrolled_domain (host outside the `controlled_domains` placeholder).
 */
import type { EntraEvent } from '../../normalize/event.js';
import { inDomains, isLocalhost, parseUri } from './domains.js';
import { findModifiedProperty, setDerived, stringLeaves } from './record.js';

export type LogoutUrlIssue = 'blank' | 'invalid' | 'not_https' | 'uncontrolled_domain';

export function logoutUrlIssues(value: unknown, controlledDomains: ReadonlySet<string>): LogoutUrlIssue[] {
  const urls = stringLeaves(value).map((s) => s.trim()).filter((s) => s !== '');
  if (urls.length === 0) return ['blank'];
  const issues = new Set<LogoutUrlIssue>();
  for (const url of urls) {
    const parsed = parseUri(url);
    if (!parsed || parsed.host === '' || (parsed.scheme !== 'http' && parsed.scheme !== 'https')) {
      issues.add('invalid');
      continue;
    }
    if (isLocalhost(parsed.host)) continue;
    if (parsed.scheme === 'http') issues.add('not_https');
    if (!inDomains(parsed.host, controlledDomains)) issues.add('uncontrolled_domain');
  }
  return [...issues];
}

export function createLogoutUrlEnricher(controlledDomains: ReadonlySet<string>): (event: EntraEvent) => void {
  return (event) => {
    if (event.kind !== 'audit') return;
    const mp = findModifiedProperty(event, ['LogoutUrl']);
    if (!mp) return;
    const value = stringLeaves(mp.newValue)[0];
    if (value !== undefined && value !== '') setDerived(event, 'logout_url', value);
    setDerived(event, 'logout_url_issues', logoutUrlIssues(mp.newValue, controlledDomains));
  };
}

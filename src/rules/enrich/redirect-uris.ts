/**
 * AP-8 / AP-9: what an application's redirect (reply) URI change adds. For audit records modifying AppAddress
 * (also RedirectUris / ReplyUrls) it derives:
 * - `entrawatch.redirect_uris_added` / `entrawatch.redirect_uris_removed`: new value minus old value and back;
 * - `entrawatch.redirect_uri_findings`: [{uri, issues}] for each added URI with an issue;
 * - `entrawatch.redirect_uri_issues`: the distinct issue kinds: not_https (http:// to a host other than
 *   localhost), wildcard, localhost, not_unique (registered on another app seen before), uncontrolled_domain
 *   (host outside the `controlled_domains` placeholder);
 * - `entrawatch.redirect_hosts`: the DNS names of every http(s) URI of the new value (for the AP-8 DNS hook).
 * URIs are remembered per app in a bounded LRU map (per worker) for the uniqueness check.
 */
import type { EntraEvent } from '../../normalize/event.js';
import type { RedirectUriIssue } from './config.js';
import { inDomains, isIpLiteral, isLocalhost, parseUri } from './domains.js';
import { LruMap } from './lru.js';
import { isObject, modifiedProperties, setDerived, targetResources, type ModifiedProperty } from './record.js';

const REDIRECT_PROPERTIES = new Set(['appaddress', 'redirecturis', 'replyurls', 'replyurlsettings']);

export interface RedirectUriFinding {
  uri: string;
  issues: RedirectUriIssue[];
}

/** URIs of a decoded AppAddress value: strings, or objects with `Address` (AppAddress entries), nested arrays. */
export function extractUris(value: unknown): string[] {
  if (typeof value === 'string') return value.trim() === '' ? [] : [value.trim()];
  if (Array.isArray(value)) return value.flatMap(extractUris);
  if (isObject(value)) {
    for (const key of ['Address', 'address', 'Url', 'url', 'uri']) {
      if (typeof value[key] === 'string') return extractUris(value[key]);
    }
  }
  return [];
}

/** The issues of one URI, without the uniqueness check (which needs memory). */
export function uriIssues(uri: string, controlledDomains: ReadonlySet<string>): RedirectUriIssue[] {
  const issues: RedirectUriIssue[] = [];
  if (uri.includes('*')) issues.push('wildcard');
  const parsed = parseUri(uri);
  if (!parsed || (parsed.scheme !== 'http' && parsed.scheme !== 'https') || parsed.host === '') return issues;
  const local = isLocalhost(parsed.host);
  if (local) issues.push('localhost');
  else {
    if (parsed.scheme === 'http') issues.push('not_https');
    if (!inDomains(parsed.host, controlledDomains)) issues.push('uncontrolled_domain');
  }
  return issues;
}

/** DNS names worth resolving: http(s), not localhost, not an IP literal, no wildcard. */
export function resolvableHost(uri: string): string | undefined {
  const parsed = parseUri(uri);
  if (!parsed || (parsed.scheme !== 'http' && parsed.scheme !== 'https')) return undefined;
  const h = parsed.host;
  if (h === '' || h.includes('*') || isLocalhost(h) || isIpLiteral(h) || !h.includes('.')) return undefined;
  return h;
}

function appKey(mp: ModifiedProperty, event: EntraEvent): string {
  const target = mp.target;
  if (typeof target['id'] === 'string' && target['id'] !== '') return target['id'];
  if (typeof target['displayName'] === 'string') return target['displayName'];
  const first = targetResources(event)[0];
  return typeof first?.['id'] === 'string' ? first['id'] : '';
}

export class RedirectUriEnricher {
  private readonly owners: LruMap<string, string>;
  private readonly ignored: ReadonlySet<RedirectUriIssue>;

  constructor(
    private readonly controlledDomains: ReadonlySet<string>,
    options: { memorySize: number; ignoreIssues: readonly RedirectUriIssue[] },
  ) {
    this.owners = new LruMap(options.memorySize);
    this.ignored = new Set(options.ignoreIssues);
  }

  readonly enrich = (event: EntraEvent): void => {
    if (event.kind !== 'audit') return;
    const mps = modifiedProperties(event).filter((mp) => REDIRECT_PROPERTIES.has(mp.name.toLowerCase()));
    if (mps.length === 0) return;
    const added: string[] = [];
    const removed: string[] = [];
    const findings: RedirectUriFinding[] = [];
    const hosts = new Set<string>();
    for (const mp of mps) {
      const app = appKey(mp, event);
      const oldUris = new Set(extractUris(mp.oldValue));
      const newUris = extractUris(mp.newValue);
      const newSet = new Set(newUris);
      for (const uri of newUris) {
        const host = resolvableHost(uri);
        if (host) hosts.add(host);
        if (oldUris.has(uri)) continue;
        added.push(uri);
        const issues = uriIssues(uri, this.controlledDomains);
        const owner = this.owners.get(uri.toLowerCase());
        if (owner !== undefined && owner !== app) issues.push('not_unique');
        const kept = issues.filter((i) => !this.ignored.has(i));
        if (kept.length > 0) findings.push({ uri, issues: kept });
      }
      for (const uri of oldUris) {
        if (newSet.has(uri)) continue;
        removed.push(uri);
        if (this.owners.get(uri.toLowerCase()) === app) this.owners.delete(uri.toLowerCase());
      }
      for (const uri of newUris) if (!this.owners.get(uri.toLowerCase())) this.owners.set(uri.toLowerCase(), app);
    }
    setDerived(event, 'redirect_uris_added', added);
    setDerived(event, 'redirect_uris_removed', removed);
    setDerived(event, 'redirect_uri_findings', findings);
    setDerived(event, 'redirect_uri_issues', [...new Set(findings.flatMap((f) => f.issues))]);
    setDerived(event, 'redirect_hosts', [...hosts]);
  };
}

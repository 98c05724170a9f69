/**
 * Host and domain helpers for the URI checks: parse a URI's host, tell localhost, test a host against a list of
 * controlled domains (subdomains included), and list a domain with its parent domains.
 */

export interface ParsedUri {
  scheme: string;
  /** lowercased host without brackets; '' when the URI has none */
  host: string;
}

/** Parses a URI loosely (wildcards allowed); undefined when it is not a URI. */
export function parseUri(uri: string): ParsedUri | undefined {
  const m = /^([a-z][a-z0-9+.-]*):(\/\/)?([^/?#]*)/i.exec(uri.trim());
  if (!m) return undefined;
  const scheme = m[1].toLowerCase();
  if (!m[2]) return { scheme, host: '' };
  let authority = m[3];
  const at = authority.lastIndexOf('@');
  if (at >= 0) authority = authority.slice(at + 1);
  let host: string;
  if (authority.startsWith('[')) host = authority.slice(1, authority.indexOf(']') >= 0 ? authority.indexOf(']') : undefined);
  else host = authority.replace(/:\d*$/, '');
  return { scheme, host: host.toLowerCase().replace(/\.$/, '') };
}

export function isLocalhost(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function isIpLiteral(host: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':');
}

/** true when `host` is one of `domains` or a subdomain of one (a leading `*.` of the host is ignored). */
export function inDomains(host: string, domains: ReadonlySet<string>): boolean {
  let h = host.toLowerCase();
  if (h.startsWith('*.')) h = h.slice(2);
  for (;;) {
    if (domains.has(h)) return true;
    const dot = h.indexOf('.');
    if (dot < 0) return false;
    h = h.slice(dot + 1);
  }
}

/** `a.b.example.com` -> [a.b.example.com, b.example.com, example.com, com] */
export function withParentDomains(domain: string): string[] {
  const out: string[] = [];
  let d = domain.toLowerCase();
  for (;;) {
    out.push(d);
    const dot = d.indexOf('.');
    if (dot < 0) return out;
    d = d.slice(dot + 1);
  }
}

/**
 * The `cidr` modifier: IPv4 and IPv6 networks. An IPv4 network also matches IPv4-mapped IPv6 addresses
 * (`::ffff:10.1.2.3`); IPv6 zone ids (`fe80::1%eth0`) are ignored.
 */

export type IpTest = (value: string) => boolean;

/** 32-bit IPv4 value, or -1. */
function parseIpv4(text: string): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      octet = octet * 10 + (c - 48);
      digits++;
      if (octet > 255 || digits > 3) return -1;
    } else if (c === 46) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else {
      return -1;
    }
  }
  if (digits === 0 || dots !== 3) return -1;
  return value * 256 + octet;
}

/**
 * Appends the colon-separated groups of 1-4 hex digits in `text` to `out`; false when `text` is not such a list
 * (an empty text is the empty list). One pass, no regex: addresses are parsed per event.
 */
function parseGroups(text: string, out: number[]): boolean {
  if (text === '') return true;
  let value = 0;
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 58) {
      if (digits === 0) return false;
      out.push(value);
      value = 0;
      digits = 0;
      continue;
    }
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (d < 0 || ++digits > 4) return false;
    value = value * 16 + d;
  }
  if (digits === 0) return false;
  out.push(value);
  return true;
}

/** Eight 16-bit groups, or undefined. */
function parseIpv6(input: string): number[] | undefined {
  let text = input;
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  if (!text.includes(':')) return undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon + 1) >= 0) {
    // embedded IPv4 (::ffff:10.1.2.3): rewrite as two hex groups
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 < 0) return undefined;
    text = `${text.slice(0, lastColon + 1)}${Math.floor(v4 / 65536).toString(16)}:${(v4 % 65536).toString(16)}`;
  }
  const gap = text.indexOf('::');
  if (gap >= 0 && text.indexOf('::', gap + 1) >= 0) return undefined;
  const head: number[] = [];
  const rest: number[] = [];
  if (!parseGroups(gap < 0 ? text : text.slice(0, gap), head)) return undefined;
  if (gap >= 0 && !parseGroups(text.slice(gap + 2), rest)) return undefined;
  const known = head.length + rest.length;
  if (gap < 0 && known !== 8) return undefined;
  if (gap >= 0 && known > 7) return undefined;
  for (let i = known; i < 8; i++) head.push(0);
  for (let i = 0; i < rest.length; i++) head[8 - rest.length + i] = rest[i]!;
  return head;
}

export class CidrError extends Error {}

/**
 * An address parsed once, for any number of network tests: its IPv4 value (also for IPv4-mapped IPv6, -1 when it
 * has none) and its IPv6 groups (undefined for a plain IPv4 address).
 */
export interface ParsedAddress {
  v4: number;
  v6: number[] | undefined;
}

/** Parses an address as the `cidr` modifier reads it (surrounding spaces ignored), or undefined. */
export function parseAddress(value: string): ParsedAddress | undefined {
  const text = value.trim();
  const v4 = parseIpv4(text);
  if (v4 >= 0) return { v4, v6: undefined };
  if (!text.includes(':')) return undefined;
  const v6 = parseIpv6(text);
  if (!v6) return undefined;
  const mapped = !v6[0] && !v6[1] && !v6[2] && !v6[3] && !v6[4] && v6[5] === 0xffff;
  return { v4: mapped ? v6[6] * 65536 + v6[7] : -1, v6 };
}

export type NetworkTest = (address: ParsedAddress) => boolean;

/** Compiles `10.0.0.0/8` or `2001:db8::/32` (a bare address = /32 or /128) into a test of parsed addresses. */
export function compileNetwork(cidr: string): NetworkTest {
  const slash = cidr.indexOf('/');
  const addr = (slash < 0 ? cidr : cidr.slice(0, slash)).trim();
  const prefixText = slash < 0 ? undefined : cidr.slice(slash + 1).trim();
  const v4 = parseIpv4(addr);
  if (v4 >= 0) {
    const prefix = prefixText === undefined ? 32 : Number(prefixText);
    if (!/^\d+$/.test(prefixText ?? '32') || prefix > 32) throw new CidrError(`"${cidr}" is not a valid IPv4 CIDR (prefix 0-32)`);
    const size = 2 ** (32 - prefix);
    const base = Math.floor(v4 / size) * size;
    // an IPv4 network also holds the IPv4-mapped IPv6 form of its addresses
    return (a) => a.v4 >= base && a.v4 < base + size;
  }
  const v6 = parseIpv6(addr);
  const prefix = prefixText === undefined ? 128 : Number(prefixText);
  if (!v6 || !/^\d+$/.test(prefixText ?? '128') || prefix > 128) {
    throw new CidrError(`"${cidr}" is not a valid CIDR: write an IPv4 (10.0.0.0/8) or IPv6 (2001:db8::/32) network`);
  }
  return (a) => {
    const ip = a.v6;
    if (!ip) return false;
    let bits = prefix;
    for (let g = 0; g < 8 && bits > 0; g++) {
      const take = Math.min(16, bits);
      const mask = (0xffff << (16 - take)) & 0xffff;
      if ((ip[g] & mask) !== (v6[g] & mask)) return false;
      bits -= take;
    }
    return true;
  };
}

/** Compiles a network into a test of address texts. */
export function compileCidr(cidr: string): IpTest {
  const inNetwork = compileNetwork(cidr);
  return (value) => {
    const address = parseAddress(value);
    return address !== undefined && inNetwork(address);
  };
}

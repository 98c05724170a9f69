/**
 * AP-8 detection hook: keeps a detection of a dangling-URI rule only when one of the app address hosts of its
 * events (`entrawatch.redirect_hosts`) does not resolve in DNS (NXDOMAIN, or no A and no AAAA record). Runs per
 * detection (off the per-event hot path) with a timeout per host, an LRU cache with TTL and one in-flight lookup
 * per host. The resolver is injectable for tests. When DNS cannot answer (timeout, SERVFAIL, no network), the
 * detection is kept with `dns_status: lookup_failed` (or dropped with `onLookupError: drop`).
 */
import { Resolver } from 'node:dns/promises';
import type { EntraEvent } from '../../normalize/event.js';
import type { Detection } from '../types.js';
import { LruMap } from './lru.js';
import { isObject } from './record.js';

/** The part of node:dns/promises Resolver the hook uses. */
export interface HostResolver {
  resolve4(host: string): Promise<unknown[]>;
  resolve6(host: string): Promise<unknown[]>;
}

export type HostStatus = 'resolves' | 'nxdomain' | 'error';

export type DetectionHook = (detection: Detection, events: EntraEvent[]) => Promise<Detection | null>;

export interface DanglingUriHookOptions {
  resolver?: HostResolver;
  timeoutMs: number;
  cacheSize: number;
  cacheTtlMs: number;
  servers?: string[];
  onLookupError: 'keep' | 'drop';
  /** names of the rules whose detections are checked; other detections pass through */
  rules: readonly string[];
  now?: () => number;
}

const NO_NAME = new Set(['ENOTFOUND', 'NXDOMAIN']);
const NO_DATA = new Set(['ENODATA']);

function codeOf(err: unknown): string {
  return isObject(err) && typeof err['code'] === 'string' ? err['code'] : 'EUNKNOWN';
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('DNS lookup timed out'), { code: 'ETIMEOUT' })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Classifies a host: resolves (A or AAAA), nxdomain (no such name, or no address at all), error (unknown). */
export async function lookupHost(resolver: HostResolver, host: string, timeoutMs: number): Promise<HostStatus> {
  try {
    const a = await withTimeout(resolver.resolve4(host), timeoutMs);
    if (a.length > 0) return 'resolves';
  } catch (err) {
    const code = codeOf(err);
    if (NO_NAME.has(code)) return 'nxdomain';
    if (!NO_DATA.has(code)) return 'error';
  }
  try {
    const aaaa = await withTimeout(resolver.resolve6(host), timeoutMs);
    return aaaa.length > 0 ? 'resolves' : 'nxdomain';
  } catch (err) {
    const code = codeOf(err);
    return NO_NAME.has(code) || NO_DATA.has(code) ? 'nxdomain' : 'error';
  }
}

function hostsOf(events: EntraEvent[]): string[] {
  const hosts = new Set<string>();
  for (const e of events) {
    const bag = e.fields['entrawatch'];
    const list = isObject(bag) ? bag['redirect_hosts'] : undefined;
    if (Array.isArray(list)) for (const h of list) if (typeof h === 'string') hosts.add(h);
  }
  return [...hosts];
}

export function createDanglingUriHook(options: DanglingUriHookOptions): DetectionHook {
  let resolver = options.resolver;
  const cache = new LruMap<string, HostStatus>(options.cacheSize, options.cacheTtlMs, options.now);
  const inFlight = new Map<string, Promise<HostStatus>>();
  const rules = new Set(options.rules);

  const status = (host: string): Promise<HostStatus> => {
    const cached = cache.get(host);
    if (cached) return Promise.resolve(cached);
    const pending = inFlight.get(host);
    if (pending) return pending;
    if (!resolver) {
      const r = new Resolver({ timeout: options.timeoutMs, tries: 2 });
      if (options.servers && options.servers.length > 0) r.setServers(options.servers);
      resolver = r;
    }
    const p = lookupHost(resolver, host, options.timeoutMs)
      .then((s) => {
        if (s !== 'error') cache.set(host, s);
        return s;
      })
      .finally(() => inFlight.delete(host));
    inFlight.set(host, p);
    return p;
  };

  return async (detection, events) => {
    if (!rules.has(detection.rule.name ?? '') && !rules.has(detection.rule.id)) return detection;
    const hosts = hostsOf(events);
    if (hosts.length === 0) return null;
    const results = await Promise.all(hosts.map(async (h) => [h, await status(h)] as const));
    const dangling = results.filter(([, s]) => s === 'nxdomain').map(([h]) => h);
    const failed = results.filter(([, s]) => s === 'error').map(([h]) => h);
    if (dangling.length === 0 && (failed.length === 0 || options.onLookupError === 'drop')) return null;
    return {
      ...detection,
      evidence: {
        ...detection.evidence,
        values: {
          ...detection.evidence.values,
          dns_status: dangling.length > 0 ? 'nxdomain' : 'lookup_failed',
          dangling_hosts: dangling,
          ...(failed.length > 0 ? { unresolved_hosts: failed } : {}),
        },
      },
    };
  };
}

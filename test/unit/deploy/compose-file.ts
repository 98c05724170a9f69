/**
 * Reads docker-compose.yml the way `docker compose` does for the parts the deploy tests check, without Docker:
 * YAML with `<<` merge keys, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}` and `$$` interpolation
 * of string values, services with their command, environment, volumes and profiles.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null> | string[];
  volumes?: Array<string | { type?: string; source?: string; target?: string }>;
  profiles?: string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string[] | string; disable?: boolean };
  container_name?: string;
  ports?: unknown[];
  expose?: Array<string | number>;
  stop_grace_period?: string;
  restart?: string;
}

export interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** Interpolates one string as compose does; a `${VAR:?msg}` whose variable is unset or empty throws. */
export function interpolate(value: string, env: Record<string, string | undefined>): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (match, braced?: string, op?: string, arg?: string, bare?: string) => {
    if (match === '$$') return '$';
    const name = braced ?? bare!;
    const v = env[name];
    if (!op) return v ?? '';
    const unsetOrEmpty = v === undefined || (op.startsWith(':') && v === '');
    if (op.endsWith('-')) return unsetOrEmpty ? (arg ?? '') : v!;
    if (unsetOrEmpty) throw new Error(`required variable ${name} is missing: ${arg ?? ''}`);
    return v!;
  });
}

function interpolateDeep(node: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof node === 'string') return interpolate(node, env);
  if (Array.isArray(node)) return node.map((v) => interpolateDeep(v, env));
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateDeep(v, env)]));
  }
  return node;
}

/** The compose file with merge keys resolved and every string interpolated from `env`. */
export function loadComposeFile(path: string, env: Record<string, string | undefined>): ComposeFile {
  const raw = parse(readFileSync(path, 'utf8'), { merge: true }) as unknown;
  return interpolateDeep(raw, env) as ComposeFile;
}

/** The raw text of every `environment` value (before interpolation), to check secrets are never literals. */
export function rawEnvironmentValues(path: string): Array<{ service: string; name: string; value: string }> {
  const raw = parse(readFileSync(path, 'utf8'), { merge: true }) as ComposeFile;
  const out: Array<{ service: string; name: string; value: string }> = [];
  for (const [service, s] of Object.entries(raw.services)) {
    for (const [name, value] of Object.entries(environmentOf(s))) out.push({ service, name, value });
  }
  return out;
}

/** `environment` as a map (both the map and the `- KEY=value` list forms). */
export function environmentOf(s: ComposeService): Record<string, string> {
  const env = s.environment;
  if (!env) return {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((e) => [e.split('=')[0]!, e.includes('=') ? e.slice(e.indexOf('=') + 1) : '']));
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

export function commandOf(s: ComposeService): string[] {
  if (s.command === undefined) return [];
  return Array.isArray(s.command) ? s.command.map(String) : s.command.split(/\s+/).filter(Boolean);
}

/** bind mounts as {source (relative to the compose file), target, readOnly} */
export function bindMountsOf(s: ComposeService): Array<{ source: string; target: string; readOnly: boolean }> {
  const out: Array<{ source: string; target: string; readOnly: boolean }> = [];
  for (const v of s.volumes ?? []) {
    if (typeof v !== 'string') {
      if (v.type === 'bind' && v.source && v.target) out.push({ source: v.source, target: v.target, readOnly: false });
      continue;
    }
    const [source, target, mode] = v.split(':');
    if (source && target && (source.startsWith('.') || source.startsWith('/'))) out.push({ source, target, readOnly: mode === 'ro' });
  }
  return out;
}

/** named volumes as {volume, target} */
export function namedVolumesOf(s: ComposeService): Array<{ volume: string; target: string }> {
  return (s.volumes ?? [])
    .filter((v): v is string => typeof v === 'string')
    .map((v) => v.split(':'))
    .filter(([source]) => source !== undefined && !source.startsWith('.') && !source.startsWith('/'))
    .map(([volume, target]) => ({ volume: volume!, target: target! }));
}

/** duration text of compose ("45s", "1m30s") in ms */
export function durationMs(text: string): number {
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|us|h|m|s)/g)) {
    total += Number(n) * { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001 }[unit as 'h' | 'm' | 's' | 'ms' | 'us'];
  }
  return total;
}

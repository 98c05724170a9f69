/**
 * Reads entrawatch.yaml: YAML -> environment overrides -> secrets from files -> zod validation.
 * A bad value fails with the key path and the fix; secrets are never echoed back in messages.
 */
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';

/** Config keys whose values are secrets: they may be given as `<key>File: /path` and are never printed. */
export const SECRET_CONFIG_KEYS = new Set(['token', 'password', 'connectionString', 'url']);

/**
 * Environment overrides: ENTRAWATCH_<PATH> where PATH is the dotted key in upper snake case with `__` between
 * levels, e.g. ENTRAWATCH_SINKS__HEC__TOKEN=... sets sinks.hec.token. Values are strings; zod coerces numbers.
 */
export function applyEnvOverrides(
  config: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  setPaths: string[][] = [],
): Record<string, unknown> {
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('ENTRAWATCH_') || value === undefined) continue;
    const path = name.slice('ENTRAWATCH_'.length).split('__').map(envSegmentToKey);
    if (path.length < 2 || path.some((p) => p === '')) continue; // ENTRAWATCH_LOG_LEVEL etc. are not config paths
    let node: Record<string, unknown> = config;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[path[path.length - 1]!] = value;
    setPaths.push(path);
  }
  return config;
}

function getPath(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function setPath(root: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = root;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path[path.length - 1]!] = value;
}

/**
 * Validates a config whose environment overrides are strings: where the schema wants a number, a boolean or a list
 * at a path an environment variable set, the string is read as one ("500", "false", "a,b") and validation runs
 * again. Values from the YAML file are never reinterpreted.
 */
export function safeParseWithEnv<S extends z.ZodType>(
  schema: S,
  value: Record<string, unknown>,
  envPaths: readonly string[][],
): z.ZodSafeParseResult<z.output<S>> {
  const first = schema.safeParse(value) as z.ZodSafeParseResult<z.output<S>>;
  if (first.success || envPaths.length === 0) return first;
  const fromEnv = new Set(envPaths.map((p) => p.join('.')));
  let changed = false;
  for (const issue of first.error!.issues) {
    if (issue.code !== 'invalid_type') continue;
    const path = issue.path.map(String);
    if (!fromEnv.has(path.join('.'))) continue;
    const raw = getPath(value, path);
    if (typeof raw !== 'string') continue;
    const text = raw.trim();
    if (issue.expected === 'number' && /^-?\d+(\.\d+)?$/.test(text)) setPath(value, path, Number(text));
    else if (issue.expected === 'boolean' && /^(true|false)$/i.test(text)) setPath(value, path, text.toLowerCase() === 'true');
    else if (issue.expected === 'array') setPath(value, path, text.split(',').map((x) => x.trim()).filter((x) => x !== ''));
    else continue;
    changed = true;
  }
  return changed ? (schema.safeParse(value) as z.ZodSafeParseResult<z.output<S>>) : first;
}

/** SINKS -> sinks, MAX_IN_FLIGHT_BYTES -> maxInFlightBytes */
function envSegmentToKey(segment: string): string {
  return segment.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Replaces every `<key>File: path` by `<key>: <file content, trimmed>` (tokenFile, passwordFile, ...). */
export function resolveSecretFiles(node: unknown, path = ''): unknown {
  if (Array.isArray(node)) return node.map((v, i) => resolveSecretFiles(v, `${path}[${i}]`));
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const keyPath = path ? `${path}.${key}` : key;
    const m = /^(.+)File$/.exec(key);
    if (m && SECRET_CONFIG_KEYS.has(m[1]!) && typeof value === 'string') {
      try {
        out[m[1]!] = readFileSync(value, 'utf8').trim();
      } catch (err) {
        throw new ConfigError(keyPath, `cannot read the secret file ${value} (${(err as NodeJS.ErrnoException).code ?? 'error'}): check the path and its permissions`);
      }
      continue;
    }
    out[key] = resolveSecretFiles(value, keyPath);
  }
  return out;
}

/** Turns a zod error into one ConfigError naming the first bad key and what is expected. */
export function configErrorFromZod(error: z.ZodError, file: string): ConfigError {
  const lines = error.issues.map((issue) => {
    const key = issue.path.map(String).join('.') || '(root)';
    const secret = issue.path.some((p) => SECRET_CONFIG_KEYS.has(String(p)));
    const message = secret ? issue.message.replace(/received .*/i, 'received a value that is not valid') : issue.message;
    return `${key}: ${message}`;
  });
  const first = error.issues[0];
  const key = first ? first.path.map(String).join('.') || '(root)' : '(root)';
  return new ConfigError(key, `invalid configuration in ${file}:\n  ${lines.join('\n  ')}`);
}

export function readYamlFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError('--config', `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}): pass an existing entrawatch.yaml (see entrawatch.example.yaml)`);
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError('(yaml)', `${path} is not valid YAML: ${doc.errors[0]!.message}`);
  }
  const value: unknown = doc.toJS() ?? {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError('(root)', `${path} must hold a YAML mapping (key: value), not a ${Array.isArray(value) ? 'list' : typeof value}`);
  }
  return value as Record<string, unknown>;
}

/** Loads and validates a config file with the given schema (or validates an in-memory object when path is undefined). */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  path: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): z.output<S> {
  const raw = path ? readYamlFile(path) : {};
  const envPaths: string[][] = [];
  const withEnv = applyEnvOverrides(raw, env, envPaths);
  const resolved = resolveSecretFiles(withEnv) as Record<string, unknown>;
  const parsed = safeParseWithEnv(schema, resolved, envPaths);
  if (!parsed.success) throw configErrorFromZod(parsed.error, path ?? '(defaults)');
  return parsed.data;
}

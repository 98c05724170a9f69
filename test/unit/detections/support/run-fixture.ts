/**
 * Runs rule fixtures through the real pipeline pieces: decodeMessage -> normalizeRecord -> createRuleEngine (the
 * loader, the enrichers and detection hooks of src/rules/enrich, an in-memory counter store) -> flush, with the
 * semantics of `entrawatch rules test` (src/rules/fixtures.ts): fire.ndjson must give >= 1 detection of the rule,
 * no-fire.ndjson none. Placeholders come from entrawatch.example.yaml, the rest from the fixture's config.yaml.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { decodeMessage } from '../../../../src/decode/index.js';
import { normalizeRecord } from '../../../../src/normalize/index.js';
import type { EntraEvent } from '../../../../src/normalize/event.js';
import { rulesConfigSchema } from '../../../../src/config/rules-config.js';
import type { HostResolver } from '../../../../src/rules/enrich/index.js';
import { createRuleEngine } from '../../../../src/runtime/create-engine.js';
import { loadRuleFiles, type LoadedRules } from '../../../../src/rules/load.js';
import type { Detection } from '../../../../src/rules/types.js';
import { MemoryCounterStore } from '../../../../src/state/memory/memory-counter-store.js';

export const ROOT = join(import.meta.dirname, '../../../..');
export const RULES_DIR = join(ROOT, 'rules');
export const FIXTURES_DIR = join(ROOT, 'test/fixtures/rules');

type Json = Record<string, unknown>;

export interface FixtureConfig {
  placeholders: Record<string, string[]>;
  rules: Json;
}

export function exampleConfig(): FixtureConfig {
  const raw = parse(readFileSync(join(ROOT, 'entrawatch.example.yaml'), 'utf8')) as Json;
  return { placeholders: raw['placeholders'] as Record<string, string[]>, rules: raw['rules'] as Json };
}

const loadedCache = new Map<string, Promise<LoadedRules>>();

export function loadRules(config: FixtureConfig): Promise<LoadedRules> {
  const key = JSON.stringify(config.placeholders);
  let p = loadedCache.get(key);
  if (!p) loadedCache.set(key, (p = loadRuleFiles([RULES_DIR], { placeholders: config.placeholders })));
  return p;
}

/** Reads an NDJSON fixture (records or envelopes) into normalized events. */
export function readEvents(file: string): EntraEvent[] {
  const events: EntraEvent[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      for (const r of decodeMessage(line, { source: file, line: i + 1 })) {
        if (!r.ok) throw new Error(`${file}:${i + 1}: ${r.error.message}`);
        events.push(normalizeRecord(r));
      }
    });
  return events;
}

/** A resolver for tests: hosts under .invalid do not exist, every other host resolves. */
export const fakeResolver: HostResolver = {
  async resolve4(host) {
    if (host.endsWith('.invalid')) throw Object.assign(new Error(`queryA ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return ['192.0.2.1'];
  },
  async resolve6(host) {
    if (host.endsWith('.invalid')) throw Object.assign(new Error(`queryAaaa ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return ['2001:db8::1'];
  },
};

/** Resolver of a fixture's `dns:` map (host -> resolves | nxdomain | error); unlisted hosts are NXDOMAIN. */
export function mapResolver(dns: Record<string, string>): HostResolver {
  const answer = async (host: string): Promise<unknown[]> => {
    const status = dns[host.toLowerCase()];
    if (status === 'resolves') return ['192.0.2.1'];
    throw Object.assign(new Error(`${host}: ${status ?? 'nxdomain'}`), { code: status === 'error' ? 'ETIMEOUT' : 'ENOTFOUND' });
  };
  return { resolve4: answer, resolve6: answer };
}

/**
 * Runs events as `entrawatch rules test` does: the example config's placeholders (a fixture's config.yaml
 * replaces them by name), the fixture's own `rules:` section (else the defaults), a lateness that keeps every
 * window open until the final flush, DNS from the fixture's `dns:` map (else switched off: AP-8 candidates kept).
 */
export async function runEvents(fixture: Json, events: EntraEvent[], batchSize = 50): Promise<Detection[]> {
  const placeholders = { ...exampleConfig().placeholders, ...((fixture['placeholders'] ?? {}) as Record<string, string[]>) };
  const rulesRaw = (fixture['rules'] ?? {}) as Json;
  const rules = rulesConfigSchema.parse({
    ...rulesRaw,
    correlation: { allowedLateness: '3650d', ...((rulesRaw['correlation'] as Json | undefined) ?? {}) },
    paths: [RULES_DIR],
  });
  const dns = fixture['dns'] as Record<string, string> | undefined;
  const engine = await createRuleEngine({
    rules,
    placeholders,
    store: new MemoryCounterStore(),
    ...(dns ? { resolver: mapResolver(dns) } : { resolveDns: false }),
  });
  const detections: Detection[] = [];
  for (let i = 0; i < events.length; i += batchSize) detections.push(...(await engine.processBatch(events.slice(i, i + batchSize))));
  detections.push(...(await engine.flush()));
  return detections;
}

export function readFixtureConfig(dir: string): Json {
  const file = join(dir, 'config.yaml');
  return existsSync(file) ? ((parse(readFileSync(file, 'utf8')) ?? {}) as Json) : {};
}

export async function runFixtureFile(ruleName: string, file: 'fire.ndjson' | 'no-fire.ndjson'): Promise<{ all: Detection[]; mine: Detection[] }> {
  const dir = join(FIXTURES_DIR, ruleName);
  const all = await runEvents(readFixtureConfig(dir), readEvents(join(dir, file)));
  return { all, mine: all.filter((d) => d.rule.name === ruleName) };
}

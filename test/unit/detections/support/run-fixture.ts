/**
 * Runs rule fixtures through the real pipeline pieces: decodeMessage -> normalizeRecord -> RuleEngine (loaded
 * with loadRuleFiles from rules/, the enrichers and detection hooks of src/rules/enrich, an in-memory counter
 * store) -> flush. The config is entrawatch.example.yaml, merged with the fixture's optional config.yaml.
 * Same semantics as `entrawatch rules test`: fire.ndjson must give >= 1 detection of the rule, no-fire.ndjson none.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { decodeMessage } from '../../../../src/decode/index.js';
import { normalizeRecord } from '../../../../src/normalize/index.js';
import type { EntraEvent } from '../../../../src/normalize/event.js';
import { createDetectionHooks, createEnrichers, type HostResolver } from '../../../../src/rules/enrich/index.js';
import { RuleEngine } from '../../../../src/rules/engine.js';
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

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function merge(base: Json, extra: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(extra)) out[k] = isObject(v) && isObject(out[k]) ? merge(out[k] as Json, v) : v;
  return out;
}

export function exampleConfig(): FixtureConfig {
  const raw = parse(readFileSync(join(ROOT, 'entrawatch.example.yaml'), 'utf8')) as Json;
  return { placeholders: raw['placeholders'] as Record<string, string[]>, rules: raw['rules'] as Json };
}

/** The example config with the fixture directory's config.yaml (if any) merged over it. */
export function fixtureConfig(dir: string): FixtureConfig {
  const base = exampleConfig();
  const file = join(dir, 'config.yaml');
  if (!existsSync(file)) return base;
  const extra = (parse(readFileSync(file, 'utf8')) ?? {}) as Json;
  return merge(base as unknown as Json, extra) as unknown as FixtureConfig;
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

export async function runEvents(config: FixtureConfig, events: EntraEvent[], batchSize = 50): Promise<Detection[]> {
  const loaded = await loadRules(config);
  const rules = config.rules;
  const correlation = isObject(rules['correlation']) ? rules['correlation'] : {};
  const enrichOptions = { ...rules, placeholders: config.placeholders } as Parameters<typeof createEnrichers>[0];
  for (const key of ['paths', 'correlation', 'overrides', 'placeholders'] as const) {
    if (key !== 'placeholders') delete (enrichOptions as Json)[key];
  }
  const engine = await RuleEngine.create({
    rules: loaded.rules,
    correlations: loaded.correlations,
    store: new MemoryCounterStore(),
    enrichers: createEnrichers(enrichOptions),
    detectionHooks: createDetectionHooks(enrichOptions, { resolver: fakeResolver }),
    allowedLatenessMs: 600_000,
    overrides: (rules['overrides'] ?? {}) as never,
    timeZone: typeof correlation['timeZone'] === 'string' ? correlation['timeZone'] : 'UTC',
  });
  const detections: Detection[] = [];
  for (let i = 0; i < events.length; i += batchSize) detections.push(...(await engine.processBatch(events.slice(i, i + batchSize))));
  detections.push(...(await engine.flush()));
  return detections;
}

export async function runFixtureFile(ruleName: string, file: 'fire.ndjson' | 'no-fire.ndjson'): Promise<{ all: Detection[]; mine: Detection[] }> {
  const dir = join(FIXTURES_DIR, ruleName);
  const all = await runEvents(fixtureConfig(dir), readEvents(join(dir, file)));
  return { all, mine: all.filter((d) => d.rule.name === ruleName) };
}

/**
 * Rule fixtures: test/fixtures/rules/<rule name>/ holds `fire.ndjson` (records that must produce at least one
 * detection of that rule), `no-fire.ndjson` (records that must produce none of it) and optionally `config.yaml`
 * (`placeholders:`, a `rules:` section with overrides / enricher settings, and `dns:` host -> resolves|nxdomain for
 * the AP-8 check). Records are decoded and normalized exactly as the pipeline does, and run through the same
 * engine as scan (in-memory state, every window closed at the end). Used by `entrawatch rules test` and the tests.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rulesConfigSchema, placeholdersSchema, type Placeholders } from '../config/rules-config.js';
import { readYamlFile } from '../config/load.js';
import { decodeMessage } from '../decode/index.js';
import { DecodeError } from '../errors.js';
import type { EntraEvent } from '../normalize/event.js';
import { normalizeRecord } from '../normalize/index.js';
import { createRuleEngine } from '../runtime/create-engine.js';
import { MemoryCounterStore } from '../state/memory/memory-counter-store.js';
import type { HostResolver } from './enrich/index.js';
import type { Detection } from './types.js';

export interface FixtureCaseResult {
  file: string;
  records: number;
  /** detections of the fixture's rule */
  detections: Detection[];
  ok: boolean;
}

export interface FixtureResult {
  rule: string;
  dir: string;
  fire?: FixtureCaseResult;
  noFire?: FixtureCaseResult;
  /** a problem that kept the fixture from running (bad record, unknown rule, bad config) */
  error?: string;
  ok: boolean;
}

export interface RunFixturesOptions {
  /** rule files or directories */
  rulePaths: string[];
  /** the fixtures root, e.g. test/fixtures/rules */
  fixturesDir: string;
  /** placeholders from entrawatch.yaml; a fixture's config.yaml replaces them by name */
  placeholders?: Placeholders;
  /** run only these fixture directories (rule names) */
  only?: string[];
}

/** Lateness used when a fixture does not set one: fixture files need not be in time order. */
const FIXTURE_LATENESS = '3650d';

export async function readFixtureEvents(file: string): Promise<EntraEvent[]> {
  const text = await readFile(file, 'utf8');
  const events: EntraEvent[] = [];
  for (const r of decodeMessage(text, { source: file })) {
    if (!r.ok) throw new DecodeError(`${file}${r.origin.line ? `:${r.origin.line}` : ''}: ${r.error.reason}`);
    events.push(normalizeRecord(r));
  }
  return events;
}

function mapResolver(dns: Record<string, string>): HostResolver {
  const answer = async (host: string): Promise<unknown[]> => {
    const status = dns[host.toLowerCase()];
    if (status === 'resolves') return ['192.0.2.1'];
    throw Object.assign(new Error(`${host}: ${status ?? 'nxdomain'}`), { code: status === 'error' ? 'ETIMEOUT' : 'ENOTFOUND' });
  };
  return { resolve4: answer, resolve6: answer };
}

function isFixtureRule(d: Detection, rule: string): boolean {
  return d.rule.name === rule || d.rule.id === rule || d.rule.title === rule;
}

async function runCase(
  dir: string,
  fileName: string,
  rule: string,
  build: () => ReturnType<typeof createRuleEngine>,
  mustFire: boolean,
): Promise<{ result: FixtureCaseResult; known: boolean } | undefined> {
  const file = join(dir, fileName);
  if (!existsSync(file)) return undefined;
  const events = await readFixtureEvents(file);
  const engine = await build();
  const all = [...(await engine.processBatch(events)), ...(await engine.flush())];
  const detections = all.filter((d) => isFixtureRule(d, rule));
  const known =
    engine.rulePlans.some((r) => r.meta.name === rule || r.meta.id === rule) ||
    engine.correlations.some((c) => c.def.meta.name === rule || c.def.meta.id === rule);
  return { result: { file, records: events.length, detections, ok: mustFire ? detections.length > 0 : detections.length === 0 }, known };
}

export async function runRuleFixtures(opts: RunFixturesOptions): Promise<FixtureResult[]> {
  const dirs = (await readdir(opts.fixturesDir, { withFileTypes: true }))
    .filter((d) => d.isDirectory() && (!opts.only || opts.only.includes(d.name)))
    .map((d) => d.name)
    .sort();
  const results: FixtureResult[] = [];
  for (const rule of dirs) {
    const dir = join(opts.fixturesDir, rule);
    const result: FixtureResult = { rule, dir, ok: false };
    try {
      const configPath = join(dir, 'config.yaml');
      const config = existsSync(configPath) ? readYamlFile(configPath) : {};
      const placeholders = { ...(opts.placeholders ?? {}), ...placeholdersSchema.parse(config['placeholders'] ?? {}) };
      const rulesRaw = (config['rules'] ?? {}) as Record<string, unknown>;
      const correlation = { allowedLateness: FIXTURE_LATENESS, ...((rulesRaw['correlation'] as object | undefined) ?? {}) };
      const overrides = { ...((rulesRaw['overrides'] as object | undefined) ?? {}), ...((config['overrides'] as object | undefined) ?? {}) };
      const rules = rulesConfigSchema.parse({ ...rulesRaw, correlation, overrides, paths: opts.rulePaths });
      const dns = config['dns'] as Record<string, string> | undefined;
      const build = () =>
        createRuleEngine({
          rules,
          placeholders,
          store: new MemoryCounterStore(),
          rulePaths: opts.rulePaths,
          ...(dns ? { resolver: mapResolver(dns) } : { resolveDns: false }),
        });
      const fire = await runCase(dir, 'fire.ndjson', rule, build, true);
      const noFire = await runCase(dir, 'no-fire.ndjson', rule, build, false);
      if (fire) result.fire = fire.result;
      if (noFire) result.noFire = noFire.result;
      if (!fire && !noFire) result.error = `${dir} has neither fire.ndjson nor no-fire.ndjson`;
      else if (!(fire ?? noFire)!.known) {
        result.error = `no loaded rule is named "${rule}": name the directory after the rule's name: or id:`;
      }
      result.ok = result.error === undefined && (result.fire?.ok ?? true) && (result.noFire?.ok ?? true);
    } catch (err) {
      result.error = err instanceof Error ? err.message : String(err);
    }
    results.push(result);
  }
  return results;
}

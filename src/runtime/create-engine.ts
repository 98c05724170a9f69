/**
 * Builds the RuleEngine from entrawatch.yaml's `placeholders` and `rules` sections: loads and compiles the rules,
 * wires the guide rules' enrichers and detection hooks, and the chosen counter store. Used by scan, worker and
 * `rules test` alike, so they all evaluate the same way.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { packageRoot } from '../package-root.js';
import { loadRuleFiles } from '../rules/load.js';
import { RuleEngine } from '../rules/engine.js';
import { createDetectionHooks, createEnrichers, type HostResolver } from '../rules/enrich/index.js';
import { parseDuration } from '../rules/correlation/duration.js';
import type { CounterStore } from '../state/types.js';
import type { Placeholders, RulesConfig } from '../config/rules-config.js';

export interface CreateEngineOptions {
  rules: RulesConfig;
  placeholders: Placeholders;
  store: CounterStore;
  /** rule paths override (CLI --rules); else rules.paths resolved against baseDir */
  rulePaths?: string[];
  /** directory relative rule paths are resolved against (the config file's directory) */
  baseDir?: string;
  /** false: the AP-8 DNS hook does not resolve hosts (scan --no-dns) */
  resolveDns?: boolean;
  /** a DNS resolver for the AP-8 hook (tests) */
  resolver?: HostResolver;
}

/** A resolver that answers nothing: with DNS switched off, AP-8 candidates are kept, marked as not verified. */
const dnsOff = (): Promise<never> => Promise.reject(Object.assign(new Error('DNS is switched off (--no-dns)'), { code: 'EDNSOFF' }));
const NO_DNS: HostResolver = { resolve4: dnsOff, resolve6: dnsOff };

/**
 * A relative rule path is looked up next to the config file first, then in entrawatch's own package (so
 * `paths: [rules]` finds the bundled rules whether the config sits in the repository or in /etc/entrawatch).
 */
export function resolveRulePath(path: string, baseDir: string): string {
  if (isAbsolute(path)) return path;
  const local = resolve(baseDir, path);
  if (existsSync(local)) return local;
  const bundled = resolve(packageRoot(), path);
  return existsSync(bundled) ? bundled : local;
}

export async function createRuleEngine(options: CreateEngineOptions): Promise<RuleEngine> {
  const paths = options.rulePaths ?? options.rules.paths.map((p) => resolveRulePath(p, options.baseDir ?? process.cwd()));
  const loaded = await loadRuleFiles(paths, { placeholders: options.placeholders });
  const { paths: _paths, correlation, overrides, ...enrichment } = options.rules;
  const enrichOptions = { ...enrichment, placeholders: options.placeholders };
  const resolver = options.resolver ?? (options.resolveDns === false ? NO_DNS : undefined);
  return RuleEngine.create({
    rules: loaded.rules,
    correlations: loaded.correlations,
    store: options.store,
    enrichers: createEnrichers(enrichOptions),
    detectionHooks: createDetectionHooks(enrichOptions, resolver ? { resolver } : {}),
    allowedLatenessMs: parseDuration(correlation.allowedLateness),
    timeZone: correlation.timeZone,
    useIndex: correlation.useIndex,
    overrides,
  });
}

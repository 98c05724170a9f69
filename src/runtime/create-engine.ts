/**
 * Builds the RuleEngine from entrawatch.yaml's `placeholders` and `rules` sections: loads and compiles the rules,
 * wires the guide rules' enrichers and detection hooks, and the chosen counter store. Used by scan, worker and
 * `rules test` alike, so they all evaluate the same way.
 */
import { isAbsolute, resolve } from 'node:path';
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

export async function createRuleEngine(options: CreateEngineOptions): Promise<RuleEngine> {
  const baseDir = options.baseDir ?? process.cwd();
  const paths = options.rulePaths ?? options.rules.paths.map((p) => (isAbsolute(p) ? p : resolve(baseDir, p)));
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

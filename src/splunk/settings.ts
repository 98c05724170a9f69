/**
 * What the Splunk app is built from: the rule files and the `placeholders` and `rules` sections of an entrawatch
 * config (entrawatch.example.yaml by default), read and validated with the same schemas as the stream.
 */
import { dirname, isAbsolute, join } from 'node:path';
import { ConfigError } from '../errors.js';
import { configErrorFromZod, readYamlFile } from '../config/load.js';
import { placeholdersSchema, rulesConfigSchema, type RulesConfig } from '../config/rules-config.js';
import { loadRuleFiles, type LoadedRules } from '../rules/load.js';
import type { EnrichmentSettings } from './enrichments.js';

export interface AppSources {
  rules: LoadedRules;
  placeholders: Record<string, string[]>;
  rulesConfig: RulesConfig;
  enrichment: EnrichmentSettings;
}

/** Reads the config file and the rules (`paths` given, else the config's rules.paths relative to the config). */
export async function loadAppSources(configPath: string, rulePaths?: string[]): Promise<AppSources> {
  const raw = readYamlFile(configPath);
  const ph = placeholdersSchema.safeParse(raw['placeholders'] ?? {});
  if (!ph.success) throw configErrorFromZod(ph.error, configPath);
  const rc = rulesConfigSchema.safeParse(raw['rules'] ?? {});
  if (!rc.success) throw configErrorFromZod(rc.error, configPath);
  const placeholders = ph.data as Record<string, string[]>;
  const base = dirname(configPath);
  const paths = rulePaths && rulePaths.length > 0 ? rulePaths : rc.data.paths.map((p) => (isAbsolute(p) ? p : join(base, p)));
  if (paths.length === 0) throw new ConfigError('rules.paths', 'no rule path: give rule files or directories');
  const rules = await loadRuleFiles(paths, { placeholders });
  const r = rc.data;
  return {
    rules,
    placeholders,
    rulesConfig: r,
    enrichment: {
      workingHours: { days: r.workingHours.days, start: r.workingHours.start, end: r.workingHours.end, timeZone: r.workingHours.timeZone },
      bl1: { upnPattern: r.bl1.upnPattern, requiredAttributes: r.bl1.requiredAttributes },
      highPrivilegeScopes: r.permissions.highPrivilegeScopes,
      sensitiveResources: r.permissions.sensitiveResources,
    },
  };
}

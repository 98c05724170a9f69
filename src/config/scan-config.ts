/**
 * The part of entrawatch.yaml that `scan` and `rules test` read: placeholders and rules. Other sections
 * (sources, sinks, state) may be present and are ignored here.
 */
import { z } from 'zod';
import { placeholdersSchema, rulesConfigSchema } from './rules-config.js';
import { loadConfig } from './load.js';

export const scanConfigSchema = z
  .looseObject({
    placeholders: placeholdersSchema,
    rules: rulesConfigSchema.prefault({}),
  })
  .describe('what scan reads from entrawatch.yaml');

export type ScanConfig = z.output<typeof scanConfigSchema>;

export function loadScanConfig(path: string, env: NodeJS.ProcessEnv = process.env): ScanConfig {
  return loadConfig(scanConfigSchema, path, env);
}

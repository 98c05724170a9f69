/**
 * Config sections `placeholders` and `rules` of entrawatch.yaml: the approved lists that fill Sigma `%name%`
 * placeholders, where the rules are, correlation settings, per-rule overrides and the guide rules' enrichers.
 */
import { z } from 'zod';
import { correlationConfigSchema, ruleOverridesSchema } from '../rules/correlation/config.js';
import { ruleEnrichmentConfigSchema } from '../rules/enrich/config.js';

export const placeholdersSchema = z
  .record(
    z.string().regex(/^[A-Za-z0-9_]+$/, { message: 'placeholder names are letters, digits and _ (used as %name% in rules)' }),
    z.array(z.coerce.string(), { error: 'each placeholder is a list of values, e.g. operating_countries: [US, CA]' }),
  )
  .default({})
  .describe('Sigma placeholders: name -> list of values, used by rules as |expand %name% (approved actors, countries...)');

export const rulesConfigSchema = z
  .object({
    paths: z.array(z.string()).min(1).default(['rules']).describe('rule files or directories (relative to the config file)'),
    correlation: correlationConfigSchema.prefault({}),
    overrides: ruleOverridesSchema.default({}),
  })
  .extend(ruleEnrichmentConfigSchema.shape)
  .describe('rules, correlation settings, per-rule overrides and the guide rules\' enrichers');

export type RulesConfig = z.output<typeof rulesConfigSchema>;
export type Placeholders = z.output<typeof placeholdersSchema>;

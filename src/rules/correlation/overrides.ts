/**
 * Config overrides per rule (`rules.overrides.<rule name or id>`): tune a correlation (timespan, condition,
 * min_count, ...), change a level or suppression, or disable any rule. Applied once at load.
 */
import { z } from 'zod';

const conditionSchema = z
  .object({
    gt: z.number().optional(),
    gte: z.number().optional(),
    lt: z.number().optional(),
    lte: z.number().optional(),
    eq: z.number().optional(),
    neq: z.number().optional(),
    field: z.string().optional(),
    percentile: z.number().optional(),
  })
  .strict()
  .describe('replaces correlation.condition, e.g. {gte: 20}');

export const ruleOverrideSchema = z
  .object({
    disabled: z.boolean().optional().describe('true: the rule is not loaded (it emits nothing and feeds no correlation)'),
    level: z.enum(['informational', 'low', 'medium', 'high', 'critical']).optional().describe('replaces the rule level'),
    suppress: z.string().optional().describe('suppression per group key, e.g. 1h'),
    timespan: z.string().optional().describe('correlation window, e.g. 10m'),
    condition: conditionSchema.optional(),
    min_count: z.number().int().positive().optional().describe('rate_change / baseline: minimum count to fire'),
    previous: z.number().int().positive().optional().describe('rate_change: number of previous windows averaged'),
    sigma: z.number().positive().optional().describe('baseline: standard deviations above the mean'),
    learning: z.string().optional().describe('baseline / first_seen: learning period, e.g. 14d'),
    lookback: z.string().optional().describe('first_seen: how long a value stays known, e.g. 30d'),
    'group-by': z.array(z.string()).optional().describe('replaces correlation.group-by'),
    field: z.string().optional().describe('replaces correlation.field'),
    generate: z.boolean().optional().describe('correlation: also emit the referenced rules standalone'),
  })
  .strict()
  .describe('overrides for one rule, applied at load');

export type RuleOverride = z.infer<typeof ruleOverrideSchema>;

export const ruleOverridesSchema = z
  .record(z.string(), ruleOverrideSchema)
  .default({})
  .describe('rules.overrides: rule name or id -> overrides');

export type RuleOverrides = z.infer<typeof ruleOverridesSchema>;

/** Finds the override for a rule by name, then id, then title. */
export function overrideFor(
  overrides: RuleOverrides | undefined,
  meta: { id: string; name?: string; title: string },
): RuleOverride | undefined {
  if (!overrides) return undefined;
  return (meta.name !== undefined ? overrides[meta.name] : undefined) ?? overrides[meta.id] ?? overrides[meta.title];
}

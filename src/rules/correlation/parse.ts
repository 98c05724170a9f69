/**
 * Parses the `correlation:` section of a correlation document into a typed CorrelationDefinition, after applying
 * any config override (`rules.overrides.<name>`). Every problem is a RuleLoadError naming the file, the rule, the
 * line and the fix.
 */
import { RuleLoadError } from '../../errors.js';
import type { RuleLevel, RuleMeta } from '../types.js';
import { parseDuration } from './duration.js';
import type { RuleOverride } from './overrides.js';
import {
  EXTENSION_CORRELATION_TYPES,
  HOUR_OF_WEEK_FIELD,
  SIGMA_CORRELATION_TYPES,
  type ConditionRange,
  type CorrelationDefinition,
  type CorrelationType,
} from './types.js';

/** The shape helper B's loader returns for a correlation document (src/rules/sigma/ast.ts RawCorrelationDoc). */
export interface RawCorrelationDocLike {
  meta: RuleMeta;
  correlation: Record<string, unknown>;
  raw: Record<string, unknown>;
}

const CONDITION_KEYS = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'] as const;
const LEVELS: readonly RuleLevel[] = ['informational', 'low', 'medium', 'high', 'critical'];
const ALL_TYPES: readonly string[] = [...SIGMA_CORRELATION_TYPES, ...EXTENSION_CORRELATION_TYPES];

/** Maps override keys (as written in config) onto correlation section keys. */
const OVERRIDE_KEYS: Record<string, string> = {
  timespan: 'timespan',
  condition: 'condition',
  min_count: 'min_count',
  minCount: 'min_count',
  previous: 'previous',
  sigma: 'sigma',
  learning: 'learning',
  lookback: 'lookback',
  'group-by': 'group-by',
  groupBy: 'group-by',
  field: 'field',
  percentile: 'percentile',
  generate: 'generate',
};

export function parseCorrelation(doc: RawCorrelationDocLike, override?: RuleOverride): CorrelationDefinition {
  const meta: RuleMeta = { ...doc.meta };
  const ruleName = meta.name ?? meta.title;
  const fail = (problem: string): never => {
    throw new RuleLoadError(meta.file, ruleName, meta.line, problem);
  };
  const section: Record<string, unknown> = { ...doc.correlation };
  let suppressRaw: unknown = doc.raw['suppress'];
  if (override) {
    for (const [key, value] of Object.entries(override)) {
      if (value === undefined) continue;
      if (key === 'level') {
        if (!LEVELS.includes(value as RuleLevel)) fail(`override level "${String(value)}" must be one of ${LEVELS.join(', ')}`);
        meta.level = value as RuleLevel;
      } else if (key === 'suppress') suppressRaw = value;
      else if (OVERRIDE_KEYS[key]) section[OVERRIDE_KEYS[key]] = value;
    }
  }

  const type = section['type'];
  if (typeof type !== 'string' || !ALL_TYPES.includes(type)) {
    fail(`correlation.type must be one of ${ALL_TYPES.join(', ')} (got ${JSON.stringify(type)})`);
  }
  const ctype = type as CorrelationType;

  const rulesRaw = section['rules'];
  const rules = typeof rulesRaw === 'string' ? [rulesRaw] : rulesRaw;
  if (!Array.isArray(rules) || rules.length === 0 || !rules.every((r) => typeof r === 'string' && r !== '')) {
    fail('correlation.rules must list at least one rule name or id');
  }
  const ruleRefs = rules as string[];

  const groupRaw = section['group-by'] ?? section['group_by'] ?? [];
  const groupBy = typeof groupRaw === 'string' ? [groupRaw] : groupRaw;
  if (!Array.isArray(groupBy) || !groupBy.every((g) => typeof g === 'string' && g !== '')) {
    fail('correlation.group-by must be a list of field names');
  }

  const aliases = parseAliases(section['aliases'], ruleRefs, fail);
  const generate = section['generate'] === undefined ? false : section['generate'];
  if (typeof generate !== 'boolean') fail('correlation.generate must be true or false');

  const suppressExplicit = parseSuppress(suppressRaw, fail);

  const base = {
    meta,
    rules: ruleRefs,
    groupBy: groupBy as string[],
    aliases,
    generate: generate as boolean,
    suppressMs: suppressExplicit ?? 0,
  };

  const duration = (key: string, required: boolean): number | undefined => {
    const v = section[key];
    if (v === undefined) {
      if (required) fail(`correlation.${key} is required (a duration like 10m, 1h or 7d)`);
      return undefined;
    }
    return parseDuration(v) ?? fail(`correlation.${key} "${String(v)}" must be a whole number with unit s, m, h or d (e.g. 10m)`);
  };
  const positive = (key: string, fallback: number | undefined, integer: boolean): number => {
    const v = section[key];
    if (v === undefined) {
      if (fallback === undefined) fail(`correlation.${key} is required (a number above 0)`);
      return fallback as number;
    }
    if (typeof v !== 'number' || !(v > 0) || (integer && !Number.isInteger(v))) {
      fail(`correlation.${key} must be a ${integer ? 'whole ' : ''}number above 0 (got ${JSON.stringify(v)})`);
    }
    return v as number;
  };
  const conditionRaw = section['condition'];

  switch (ctype) {
    case 'rate_change': {
      const condition = parseConditionRange(conditionRaw, true, fail) as ConditionRange;
      return {
        ...base,
        type: ctype,
        timespanMs: duration('timespan', true)!,
        previous: positive('previous', 24, true),
        condition,
        minCount: positive('min_count', 1, true),
      };
    }
    case 'baseline':
      return {
        ...base,
        type: ctype,
        timespanMs: duration('timespan', true)!,
        learningMs: duration('learning', true)!,
        sigma: positive('sigma', 3, false),
        minCount: positive('min_count', 1, true),
      };
    case 'first_seen': {
      const field = section['field'];
      if (typeof field !== 'string' || field === '') {
        fail(`correlation.field is required for first_seen: a field name or ${HOUR_OF_WEEK_FIELD}`);
      }
      return {
        ...base,
        type: ctype,
        field: field as string,
        lookbackMs: duration('lookback', true)!,
        learningMs: duration('learning', false) ?? 0,
      };
    }
    default: {
      const timespanMs = duration('timespan', true)!;
      const temporal = ctype === 'temporal' || ctype === 'temporal_ordered';
      const needsField = ctype.startsWith('value_');
      let field: string | undefined;
      let percentile: number | undefined;
      if (conditionRaw !== undefined && (typeof conditionRaw !== 'object' || conditionRaw === null || Array.isArray(conditionRaw))) {
        fail('correlation.condition must be a map such as {gte: 10}');
      }
      const cond = { ...((conditionRaw ?? {}) as Record<string, unknown>) };
      const fieldRaw = cond['field'] ?? section['field'];
      delete cond['field'];
      const percentileRaw = cond['percentile'] ?? section['percentile'];
      delete cond['percentile'];
      if (needsField) {
        if (typeof fieldRaw !== 'string' || fieldRaw === '') fail(`${ctype} needs condition.field: the field whose values are compared`);
        field = fieldRaw as string;
      }
      if (ctype === 'value_percentile') {
        const p = percentileRaw === undefined ? 95 : percentileRaw;
        if (typeof p !== 'number' || p <= 0 || p > 100) fail('value_percentile: condition.percentile must be a number in (0, 100], e.g. 95');
        percentile = p as number;
      }
      const condition = parseConditionRange(conditionRaw === undefined ? undefined : cond, !temporal, fail);
      if (temporal && ctype === 'temporal_ordered' && ruleRefs.length < 2) fail('temporal_ordered needs at least two rules');
      // default: at most one detection per group per timespan (the two overlapping windows of a burst fire once)
      return { ...base, suppressMs: suppressExplicit ?? timespanMs, type: ctype, timespanMs, condition, field, percentile };
    }
  }
}

/**
 * `suppress:` -> ms; `none`, `0` or `false` -> 0 (no suppression); absent -> undefined (the type's default).
 */
export function parseSuppress(raw: unknown, fail: (problem: string) => never): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (raw === false || raw === 0 || raw === '0' || raw === 'none') return 0;
  return parseDuration(raw) ?? fail(`suppress "${String(raw)}" must be a duration like 30m, 1h or 1d, or none`);
}

/** Parses `{gte: 10}`, `{gt: 100, lte: 200}`; at most two bounds, at least one when required. */
export function parseConditionRange(
  raw: unknown,
  required: boolean,
  fail: (problem: string) => never,
): ConditionRange | undefined {
  if (raw === undefined || raw === null) {
    if (required) fail('correlation.condition is required, e.g. {gte: 10}');
    return undefined;
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) fail('correlation.condition must be a map such as {gte: 10}');
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length === 0) {
    if (required) fail('correlation.condition needs one of gt, gte, lt, lte, eq, neq');
    return undefined;
  }
  if (entries.length > 2) fail('correlation.condition combines at most two bounds (a range such as {gt: 100, lte: 200})');
  const out: ConditionRange = {};
  for (const [key, value] of entries) {
    if (!(CONDITION_KEYS as readonly string[]).includes(key)) {
      fail(`correlation.condition.${key} is not a condition: use gt, gte, lt, lte, eq or neq`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) fail(`correlation.condition.${key} must be a number`);
    out[key as keyof ConditionRange] = value as number;
  }
  return out;
}

function parseAliases(
  raw: unknown,
  rules: string[],
  fail: (problem: string) => never,
): Record<string, Record<string, string>> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) fail('correlation.aliases must map alias -> {rule name: field}');
  const out: Record<string, Record<string, string>> = {};
  for (const [alias, mapping] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof mapping !== 'object' || mapping === null || Array.isArray(mapping)) {
      fail(`correlation.aliases.${alias} must map rule names to field names`);
    }
    out[alias] = {};
    for (const [rule, field] of Object.entries(mapping as Record<string, unknown>)) {
      if (!rules.includes(rule)) fail(`correlation.aliases.${alias} names rule "${rule}" which is not in correlation.rules`);
      if (typeof field !== 'string' || field === '') fail(`correlation.aliases.${alias}.${rule} must be a field name`);
      out[alias]![rule] = field as string;
    }
  }
  return out;
}

/** Does the condition hold for this value? An undefined condition never holds here (temporal handles it). */
export function conditionHolds(c: ConditionRange, value: number): boolean {
  if (c.gt !== undefined && !(value > c.gt)) return false;
  if (c.gte !== undefined && !(value >= c.gte)) return false;
  if (c.lt !== undefined && !(value < c.lt)) return false;
  if (c.lte !== undefined && !(value <= c.lte)) return false;
  if (c.eq !== undefined && value !== c.eq) return false;
  if (c.neq !== undefined && value === c.neq) return false;
  return true;
}

/** Human text of a condition range, e.g. ">= 10 and < 20". */
export function describeCondition(c: ConditionRange | undefined): string {
  if (!c) return 'all rules seen';
  const ops: Record<string, string> = { gt: '>', gte: '>=', lt: '<', lte: '<=', eq: '==', neq: '!=' };
  return Object.entries(c)
    .map(([k, v]) => `${ops[k]} ${v}`)
    .join(' and ');
}

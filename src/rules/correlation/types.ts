/**
 * Typed correlation definitions: Sigma v2.1 correlation types plus entrawatch's three extensions
 * (rate_change, baseline, first_seen). Produced by parseCorrelation, consumed by the rule engine.
 */
import type { RuleMeta } from '../types.js';

export const SIGMA_CORRELATION_TYPES = [
  'event_count',
  'value_count',
  'temporal',
  'temporal_ordered',
  'value_sum',
  'value_avg',
  'value_percentile',
] as const;
export const EXTENSION_CORRELATION_TYPES = ['rate_change', 'baseline', 'first_seen'] as const;

export type SigmaCorrelationType = (typeof SIGMA_CORRELATION_TYPES)[number];
export type ExtensionCorrelationType = (typeof EXTENSION_CORRELATION_TYPES)[number];
export type CorrelationType = SigmaCorrelationType | ExtensionCorrelationType;

/** A condition range: every bound given must hold (Sigma: "two may combine as a range"). */
export interface ConditionRange {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  eq?: number;
  neq?: number;
}

interface CorrelationBase {
  meta: RuleMeta;
  /** names or ids as written in `rules:` */
  rules: string[];
  /** group-by field names (may be alias names) */
  groupBy: string[];
  /** alias name -> (rule name or id -> field name) */
  aliases: Record<string, Record<string, string>>;
  /** `generate: true`: the referenced rules also emit standalone detections */
  generate: boolean;
  /** at most one detection per group key per bucket of this many ms of event time (0 = none) */
  suppressMs: number;
}

/** Sigma's window correlations, evaluated over windows of `timespanMs` in event time. */
export interface WindowCorrelation extends CorrelationBase {
  type: SigmaCorrelationType;
  timespanMs: number;
  /** undefined for temporal types without a condition: "all listed rules seen" */
  condition: ConditionRange | undefined;
  /** value_count / value_sum / value_avg / value_percentile */
  field?: string;
  /** value_percentile: which percentile (1-100) of `field` is compared */
  percentile?: number;
}

/** Extension: this window's count vs the mean of the previous N windows, in percent. */
export interface RateChangeCorrelation extends CorrelationBase {
  type: 'rate_change';
  timespanMs: number;
  previous: number;
  /** compared with the change in percent, e.g. {gte: 10} = at least +10 % */
  condition: ConditionRange;
  minCount: number;
}

/** Extension: learned per group and hour of week; fires above mean + sigma * stddev. */
export interface BaselineCorrelation extends CorrelationBase {
  type: 'baseline';
  timespanMs: number;
  learningMs: number;
  sigma: number;
  minCount: number;
}

/** Extension: a value never seen for this group within the lookback. */
export interface FirstSeenCorrelation extends CorrelationBase {
  type: 'first_seen';
  /** a field name, or `@hour_of_week` */
  field: string;
  lookbackMs: number;
  learningMs: number;
}

export type CorrelationDefinition =
  | WindowCorrelation
  | RateChangeCorrelation
  | BaselineCorrelation
  | FirstSeenCorrelation;

/** The pseudo-field of first_seen: hour of week 0..167 (Monday 00h = 0) in the configured time zone. */
export const HOUR_OF_WEEK_FIELD = '@hour_of_week';

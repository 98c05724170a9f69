/**
 * Resolves a rule set into an evaluation plan: which correlation consumes which rule (by name or id, chaining
 * allowed, cycles refused), the field accessors of group-by / field per referenced rule (aliases applied), the
 * counter-store spec of each correlation, and who emits detections on its own (Sigma `generate` semantics).
 */
import { RuleLoadError } from '../../errors.js';
import { compileFieldAccessor } from '../fields/index.js';
import type { CompiledRule } from '../sigma/compile.js';
import type { FieldAccessor, RuleLevel, RuleMeta } from '../types.js';
import type { NoveltySpec, SeriesSpec, WindowMetric, WindowSpec } from '../../state/types.js';
import { overrideFor, type RuleOverrides } from './overrides.js';
import { parseCorrelation, parseSuppress, type RawCorrelationDocLike } from './parse.js';
import { HOUR_OF_WEEK_FIELD, type CorrelationDefinition, type WindowCorrelation } from './types.js';

/** A correlation fed by a base rule: how to read group values and the value field from that rule's events. */
export interface RuleConsumer {
  plan: CorrelationPlan;
  ruleIndex: number;
  groupAccessors: FieldAccessor[];
  valueAccessor: FieldAccessor | undefined;
}

/** A correlation fed by another correlation's detections: which inner group fields give its group values. */
export interface ChainConsumer {
  plan: CorrelationPlan;
  ruleIndex: number;
  /** per outer group-by field, the inner group field name */
  groupFields: string[];
  /** inner group field holding the value, for value_* / first_seen over a correlation */
  valueField: string | undefined;
}

export interface RulePlan {
  rule: CompiledRule;
  meta: RuleMeta;
  suppressMs: number;
  /** emits one detection per matching event */
  emits: boolean;
  consumers: RuleConsumer[];
}

export type CorrelationPlan = {
  def: CorrelationDefinition;
  emits: boolean;
  chainConsumers: ChainConsumer[];
} & (
  | { kind: 'window'; spec: WindowSpec }
  | { kind: 'series'; spec: SeriesSpec }
  | { kind: 'novelty'; spec: NoveltySpec }
);

export interface EnginePlan {
  rules: RulePlan[];
  correlations: CorrelationPlan[];
}

const METRICS: Record<WindowCorrelation['type'], WindowMetric> = {
  event_count: 'count',
  value_count: 'distinct',
  value_sum: 'sum',
  value_avg: 'avg',
  value_percentile: 'percentile',
  temporal: 'rules',
  temporal_ordered: 'sequence',
};

/** Conditions that only grow true as events arrive fire at once; others wait for the window to close. */
function isMonotone(def: WindowCorrelation): boolean {
  if (!['event_count', 'value_count', 'temporal', 'temporal_ordered'].includes(def.type)) return false;
  if (!def.condition) return true;
  return Object.keys(def.condition).every((k) => k === 'gt' || k === 'gte');
}

type PlanSpec = Pick<CorrelationPlan, 'kind' | 'spec'>;

function specOf(def: CorrelationDefinition, latenessMs: number): PlanSpec {
  switch (def.type) {
    case 'rate_change':
    case 'baseline':
      return {
        kind: 'series',
        spec: {
          mode: def.type === 'rate_change' ? 'rate' : 'baseline',
          timespanMs: def.timespanMs,
          latenessMs,
          previous: def.type === 'rate_change' ? def.previous : 1,
          condition: def.type === 'rate_change' ? def.condition : undefined,
          minCount: def.minCount,
          sigma: def.type === 'baseline' ? def.sigma : 0,
          learningMs: def.type === 'baseline' ? def.learningMs : 0,
          suppressMs: def.suppressMs,
        },
      } as PlanSpec;
    case 'first_seen':
      return {
        kind: 'novelty',
        spec: { lookbackMs: def.lookbackMs, learningMs: def.learningMs, latenessMs, suppressMs: def.suppressMs },
      } as PlanSpec;
    default: {
      const hopMs = def.timespanMs % 2 === 0 ? def.timespanMs / 2 : def.timespanMs;
      const spec: WindowSpec = {
        metric: METRICS[def.type],
        timespanMs: def.timespanMs,
        hopMs,
        latenessMs,
        condition: def.condition,
        ruleCount: def.rules.length,
        eager: isMonotone(def),
        suppressMs: def.suppressMs,
      };
      if (def.percentile !== undefined) spec.percentile = def.percentile;
      return { kind: 'window', spec } as PlanSpec;
    }
  }
}

function ruleLabel(meta: RuleMeta): string {
  return meta.name ?? meta.title;
}

export interface PlanOptions {
  rules: readonly CompiledRule[];
  correlations: readonly RawCorrelationDocLike[];
  overrides?: RuleOverrides;
  latenessMs: number;
}

export function buildEnginePlan(opts: PlanOptions): EnginePlan {
  // base rules: overrides (disabled, level, suppress)
  const rulePlans: RulePlan[] = [];
  const disabled = new Set<string>();
  for (const rule of opts.rules) {
    const o = overrideFor(opts.overrides, rule.meta);
    if (o?.disabled) {
      disabled.add(rule.meta.id);
      if (rule.meta.name) disabled.add(rule.meta.name);
      continue;
    }
    const meta: RuleMeta = o?.level ? { ...rule.meta, level: o.level as RuleLevel } : rule.meta;
    const suppressRaw = o?.suppress ?? rule.parsed.raw['suppress'];
    const suppressMs =
      parseSuppress(suppressRaw, (problem) => {
        throw new RuleLoadError(meta.file, ruleLabel(meta), meta.line, problem);
      }) ?? 0;
    rulePlans.push({ rule, meta, suppressMs, emits: true, consumers: [] });
  }

  // correlations: parse with overrides
  const defs: CorrelationDefinition[] = [];
  const referencedByDisabled = new Set<string>();
  for (const doc of opts.correlations) {
    const o = overrideFor(opts.overrides, doc.meta);
    if (o?.disabled) {
      disabled.add(doc.meta.id);
      if (doc.meta.name) disabled.add(doc.meta.name);
      // its rules stay non-standalone: disabling a correlation must not turn its building blocks into alerts
      const refs = doc.correlation['rules'];
      for (const r of Array.isArray(refs) ? refs : [refs]) if (typeof r === 'string') referencedByDisabled.add(r);
      continue;
    }
    defs.push(parseCorrelation(doc, o));
  }
  const plans: CorrelationPlan[] = defs.map(
    (def) => ({ def, emits: true, chainConsumers: [], ...specOf(def, opts.latenessMs) }) as CorrelationPlan,
  );

  // name / id -> target
  const targets = new Map<string, RulePlan | CorrelationPlan>();
  const register = (key: string | undefined, target: RulePlan | CorrelationPlan, meta: RuleMeta): void => {
    if (key === undefined) return;
    const prev = targets.get(key);
    if (prev && prev !== target) {
      const prevMeta = 'def' in prev ? prev.def.meta : prev.meta;
      throw new RuleLoadError(meta.file, ruleLabel(meta), meta.line, `name or id "${key}" is also used by ${prevMeta.file}:${prevMeta.line}: make it unique`);
    }
    targets.set(key, target);
  };
  for (const r of rulePlans) {
    register(r.meta.id, r, r.meta);
    register(r.meta.name, r, r.meta);
  }
  for (const p of plans) {
    register(p.def.meta.id, p, p.def.meta);
    register(p.def.meta.name, p, p.def.meta);
  }

  const referencedBy = new Map<RulePlan | CorrelationPlan, CorrelationPlan[]>();
  for (const plan of plans) {
    const def = plan.def;
    def.rules.forEach((ref, ruleIndex) => {
      const target = targets.get(ref);
      if (!target) {
        const why = disabled.has(ref)
          ? `is disabled in rules.overrides: disable this correlation too, or enable "${ref}"`
          : 'is not a loaded rule or correlation: check the name or id, or load its file';
        throw new RuleLoadError(def.meta.file, ruleLabel(def.meta), def.meta.line, `correlation.rules names "${ref}", which ${why}`);
      }
      referencedBy.set(target, [...(referencedBy.get(target) ?? []), plan]);
      const fieldOf = (f: string): string => def.aliases[f]?.[ref] ?? f;
      const valueName = 'field' in def && def.field !== undefined && def.field !== HOUR_OF_WEEK_FIELD ? fieldOf(def.field) : undefined;
      if ('def' in target) {
        target.chainConsumers.push({ plan, ruleIndex, groupFields: def.groupBy.map(fieldOf), valueField: valueName });
      } else {
        target.consumers.push({
          plan,
          ruleIndex,
          groupAccessors: def.groupBy.map((f) => compileFieldAccessor(fieldOf(f))),
          valueAccessor: valueName === undefined ? undefined : compileFieldAccessor(valueName),
        });
      }
    });
  }
  assertNoCycles(plans, targets);

  for (const r of rulePlans) {
    const by = referencedBy.get(r) ?? [];
    const own = r.rule.parsed.raw['generate'];
    const unreferenced = by.length === 0 && !referencedByDisabled.has(r.meta.id) && !(r.meta.name && referencedByDisabled.has(r.meta.name));
    r.emits = own === true || (own !== false && (unreferenced || by.some((c) => c.def.generate)));
  }
  for (const p of plans) {
    const by = referencedBy.get(p) ?? [];
    p.emits = by.length === 0 || by.some((c) => c.def.generate);
  }
  return { rules: rulePlans, correlations: plans };
}

function assertNoCycles(plans: CorrelationPlan[], targets: Map<string, RulePlan | CorrelationPlan>): void {
  const state = new Map<CorrelationPlan, 'visiting' | 'done'>();
  const visit = (p: CorrelationPlan, path: string[]): void => {
    if (state.get(p) === 'done') return;
    if (state.get(p) === 'visiting') {
      const m = p.def.meta;
      throw new RuleLoadError(m.file, ruleLabel(m), m.line, `correlations refer to each other in a cycle (${[...path, ruleLabel(m)].join(' -> ')}): break the cycle`);
    }
    state.set(p, 'visiting');
    for (const ref of p.def.rules) {
      const t = targets.get(ref);
      if (t && 'def' in t) visit(t, [...path, ruleLabel(p.def.meta)]);
    }
    state.set(p, 'done');
  };
  for (const p of plans) visit(p, []);
}

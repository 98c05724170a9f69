/**
 * The SPL converter: a loaded rule set (Sigma rules + correlations, config placeholders and overrides) -> one SPL
 * search per detection that entrawatch emits (the same `generate` semantics as the stream engine: base rules of a
 * correlation do not alert on their own). Used by `entrawatch rules convert --to spl` and the Splunk app builder.
 */
import { buildEnginePlan, type CorrelationPlan, type RulePlan } from '../../correlation/plan.js';
import type { RuleOverrides } from '../../correlation/overrides.js';
import type { RawCorrelationDoc } from '../../sigma/ast.js';
import type { CompiledRule } from '../../sigma/compile.js';
import type { RuleMeta } from '../../types.js';
import { SplConversionError } from './errors.js';
import { convertCorrelation, RUN_EARLIEST, RUN_LATEST } from './correlation.js';
import { convertRuleSearch, PreludeRegistry, renderRuleSearch, type RuleSearch } from './rule.js';

export { SplConversionError } from './errors.js';
export { BASE_MACRO, lookupName } from './rule.js';
export { RUN_EARLIEST, RUN_LATEST } from './correlation.js';
export { enrichMacroName } from './fields.js';

export interface SplConvertInput {
  rules: readonly CompiledRule[];
  correlations: readonly RawCorrelationDoc[];
  /** config `placeholders` (inline expansion, and the lookups' content) */
  placeholders: Record<string, string[]>;
  overrides?: RuleOverrides;
}

export interface SplDetection {
  kind: 'rule' | 'correlation';
  type: string;
  meta: RuleMeta;
  /** ESCU-style search id: `entrawatch_<rule name>`; its tuning macro is `<searchId>_filter` */
  searchId: string;
  /** the search, without the trailing filter macro */
  spl: string;
  dispatchEarliest: string;
  dispatchLatest: string;
  /** result fields that identify an alert's group (suppression) */
  groupFields: string[];
  /** suppression period in seconds (0 = none) */
  suppressSeconds: number;
  /** what SPL does differently from the stream engine */
  notes: string[];
}

export interface SplConversion {
  detections: SplDetection[];
  /** rules that could not be converted, with the reason */
  errors: Array<{ meta: RuleMeta; message: string }>;
  /** placeholders used through lookups */
  lookups: string[];
  /** entrawatch.* enricher fields the searches compute with macros */
  enrichments: string[];
}

function searchIdOf(meta: RuleMeta): string {
  const base = (meta.name ?? meta.title).toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return `entrawatch_${base || 'rule'}`;
}

/** The full search of a detection as the app schedules it: its SPL then the tuning macro. */
export function withFilterMacro(d: Pick<SplDetection, 'spl' | 'searchId'>): string {
  return `${d.spl} | \`${d.searchId}_filter\``;
}

export function convertRulesToSpl(input: SplConvertInput): SplConversion {
  const plan = buildEnginePlan({
    rules: input.rules,
    correlations: input.correlations,
    overrides: input.overrides,
    latenessMs: 0,
  });
  const lookupNames = new Set(Object.keys(input.placeholders));
  const registry = new PreludeRegistry(input.placeholders, lookupNames);
  const out: SplConversion = { detections: [], errors: [], lookups: [], enrichments: [] };

  const byRef = new Map<string, RulePlan | CorrelationPlan>();
  for (const r of plan.rules) {
    byRef.set(r.meta.id, r);
    if (r.meta.name) byRef.set(r.meta.name, r);
  }
  for (const c of plan.correlations) {
    byRef.set(c.def.meta.id, c);
    if (c.def.meta.name) byRef.set(c.def.meta.name, c);
  }
  const searches = new Map<RulePlan, RuleSearch>();
  const searchOf = (r: RulePlan): RuleSearch => {
    let s = searches.get(r);
    if (!s) {
      s = convertRuleSearch(r.rule.parsed, registry);
      searches.set(r, s);
    }
    return s;
  };
  const ids = new Set<string>();
  const uniqueId = (meta: RuleMeta): string => {
    let id = searchIdOf(meta);
    for (let i = 2; ids.has(id); i++) id = `${searchIdOf(meta)}_${i}`;
    ids.add(id);
    return id;
  };

  for (const r of plan.rules) {
    if (!r.emits) continue;
    try {
      const spl = renderRuleSearch(searchOf(r));
      out.detections.push({
        kind: 'rule',
        type: 'event',
        meta: r.meta,
        searchId: uniqueId(r.meta),
        spl,
        dispatchEarliest: RUN_EARLIEST,
        dispatchLatest: RUN_LATEST,
        groupFields: [],
        suppressSeconds: Math.round(r.suppressMs / 1000),
        notes: [],
      });
    } catch (err) {
      if (!(err instanceof SplConversionError)) throw err;
      out.errors.push({ meta: r.meta, message: err.message });
    }
  }
  for (const c of plan.correlations) {
    if (!c.emits) continue;
    const def = c.def;
    try {
      const refs = def.rules.map((ref) => {
        const target = byRef.get(ref);
        if (!target) throw new SplConversionError(`correlation.rules names "${ref}", which is not loaded`);
        if ('def' in target) throw new SplConversionError(`"${ref}" is a correlation: chained correlations are not converted to SPL`);
        return searchOf(target);
      });
      const converted = convertCorrelation(def, refs);
      out.detections.push({
        kind: 'correlation',
        type: def.type,
        meta: def.meta,
        searchId: uniqueId(def.meta),
        spl: converted.spl,
        dispatchEarliest: converted.dispatchEarliest,
        dispatchLatest: RUN_LATEST,
        groupFields: converted.groupFields,
        suppressSeconds: Math.round((def.suppressMs || ('timespanMs' in def ? def.timespanMs : 3_600_000)) / 1000),
        notes: converted.notes,
      });
    } catch (err) {
      if (!(err instanceof SplConversionError)) throw err;
      out.errors.push({ meta: def.meta, message: err.message });
    }
  }
  const text = out.detections.map((d) => d.spl).join('\n');
  out.lookups = [...lookupNames].filter((n) => text.includes(`lookup entrawatch_${n.replace(/[^A-Za-z0-9_]/g, '_').toLowerCase()} `)).sort();
  out.enrichments = [...new Set([...text.matchAll(/`entrawatch_enrich_([a-z0-9_]+)`/g)].map((m) => m[1]!))].sort();
  return out;
}

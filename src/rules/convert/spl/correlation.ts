/**
 * Sigma correlations and entrawatch's extensions -> SPL aggregations over the searches of their rules.
 *
 * | type | SPL |
 * |---|---|
 * | event_count / value_count / value_sum / value_avg / value_percentile | `bin _time span=T` + `stats count / dc / sum / avg / percN ... by _time <group>` + `where` |
 * | temporal / temporal_ordered | `multisearch` of the rules with `eval event_type=...` + `stats dc(event_type)` (+ min/max time per type) |
 * | rate_change | `timechart span=T count` + `streamstats window=N current=f avg()` = mean of the previous N buckets + `where` on the last bucket |
 * | baseline | bucket counts + hour of week + `streamstats current=f avg() stdev() by group, hour of week` + `where` on the last bucket |
 * | first_seen | `stats min(_time) by group, field` over the lookback + `eventstats` of the group's first time (learning) |
 *
 * What SPL cannot reproduce exactly (also in splunk-app/README.md): windows are fixed bins, not the stream's
 * overlapping windows (a burst split by a bin edge can be missed); temporal_ordered checks that the first event of
 * each rule comes before the last event of the next one; events with an empty group-by field are left out by
 * `stats by`; hours of week use the time zone of the search's owner; first_seen reads the whole lookback at each
 * run (use a summary index for large tenants); chained correlations (a correlation over a correlation) are not
 * converted.
 */
import { formatDuration } from '../../correlation/duration.js';
import { HOUR_OF_WEEK_FIELD, type ConditionRange, type CorrelationDefinition } from '../../correlation/types.js';
import { evalFieldName, splString } from './escape.js';
import { SplConversionError } from './errors.js';
import { splFieldFor } from './fields.js';
import { renderRuleSearch, type RuleSearch } from './rule.js';

/** The scheduled run covers the previous full hour; Entra delivers logs 2-5 minutes late. */
export const RUN_EARLIEST = '-75m@h';
export const RUN_LATEST = '-15m@h';

export interface CorrelationSpl {
  spl: string;
  /** output fields that identify a group (alert suppression fields) */
  groupFields: string[];
  dispatchEarliest: string;
  notes: string[];
}

const HOUR_OF_WEEK_EVAL = 'eval ew_hour_of_week=((tonumber(strftime(_time, "%w"))+6)%7)*24+tonumber(strftime(_time, "%H"))';

function span(ms: number): string {
  const text = formatDuration(ms);
  if (text.endsWith('ms')) throw new SplConversionError(`timespan ${ms} ms is not a whole number of seconds`);
  return text;
}

function minutes(ms: number): number {
  return Math.ceil(ms / 60_000);
}

/** `where` text of a condition range on a field. */
export function conditionWhere(field: string, c: ConditionRange): string {
  const ops: Record<string, string> = { gt: '>', gte: '>=', lt: '<', lte: '<=', eq: '==', neq: '!=' };
  return Object.entries(c)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${field}${ops[k]}${v}`)
    .join(' AND ');
}

interface GroupPlan {
  /** output field names */
  fields: string[];
  /** per rule index: eval commands that build the output fields */
  evals: string[][];
}

/** A bare eval-assignable name for a group-by field: `properties.targetResources.userPrincipalName` -> `targetResources_userPrincipalName`. */
function evalName(ruleField: string, i: number): string {
  const name = ruleField.replace(/^(fields\.)?properties\./i, '').replace(/\{\}/g, '').replace(/\W+/g, '_').replace(/^_+|_+$/g, '');
  return /^[A-Za-z_]\w*$/.test(name) ? name : `group_${i + 1}`;
}

function planGroups(def: CorrelationDefinition): GroupPlan {
  const resolved = def.rules.map((ref) =>
    def.groupBy.map((g) => {
      const ruleField = def.aliases[g]?.[ref] ?? g;
      const f = splFieldFor(ruleField);
      if (f.needs.length > 0) throw new SplConversionError(`group-by field "${ruleField}" is computed by entrawatch only: group by a record field`);
      return f;
    }),
  );
  // a group field keeps its Splunk name when every rule reads it from the same plain field without {}
  const fields = def.groupBy.map((g, i) => {
    const names = new Set(resolved.map((r) => (r[i]!.names.length === 1 ? r[i]!.names[0]! : '')));
    const only = [...names][0]!;
    return names.size === 1 && only !== '' && /^[\w.]+$/.test(only) ? only : evalName(g, i);
  });
  const evals = resolved.map((r) =>
    r.flatMap((f, i) => {
      const out = fields[i]!;
      if (f.names.length === 1 && f.names[0] === out) return [];
      const expr = f.names.length === 1 ? evalFieldName(f.names[0]!) : `coalesce(${f.names.map(evalFieldName).join(', ')})`;
      return [`eval ${out}=${expr}`];
    }),
  );
  return { fields, evals };
}

function valueField(def: CorrelationDefinition, ref: string): string {
  const field = 'field' in def ? def.field : undefined;
  if (field === undefined) throw new SplConversionError(`${def.type} needs a field`);
  const f = splFieldFor(def.aliases[field]?.[ref] ?? field);
  if (f.needs.length > 0) throw new SplConversionError(`field "${field}" is computed by entrawatch only: count a record field`);
  return f.names.length === 1 ? evalFieldName(f.names[0]!) : `coalesce(${f.names.map(evalFieldName).join(', ')})`;
}

/** The events of every rule, each tagged with event_type, the group fields and (for value_*) ew_value. */
function unionSearch(def: CorrelationDefinition, searches: RuleSearch[], groups: GroupPlan, withValue: boolean): string {
  const parts = def.rules.map((ref, i) => {
    const rs = searches[i]!;
    const extra = [...groups.evals[i]!];
    if (withValue) extra.push(`eval ew_value=${valueField(def, ref)}`);
    if (def.rules.length > 1) extra.unshift(`eval event_type=${splString(ref)}`);
    return { ...rs, tail: [...rs.tail, ...extra] };
  });
  if (parts.length === 1) return renderRuleSearch(parts[0]!);
  return `| multisearch ${parts.map((p) => `[${renderRuleSearch(p, true)}]`).join(' ')}`;
}

function byClause(fields: string[], withTime = true): string {
  const all = withTime ? ['_time', ...fields] : fields;
  return all.length > 0 ? ` by ${all.join(' ')}` : '';
}

const EVIDENCE = 'min(_time) as firstTime max(_time) as lastTime values(properties.id) as event_ids';

/** Converts a correlation whose referenced rules are converted in `searches` (same order as def.rules). */
export function convertCorrelation(def: CorrelationDefinition, searches: RuleSearch[]): CorrelationSpl {
  const groups = planGroups(def);
  const notes: string[] = [];
  const by = byClause(groups.fields);
  switch (def.type) {
    case 'event_count':
    case 'value_count':
    case 'value_sum':
    case 'value_avg':
    case 'value_percentile': {
      const withValue = def.type !== 'event_count';
      const metric =
        def.type === 'event_count'
          ? ''
          : def.type === 'value_count'
            ? ' dc(ew_value) as value_count'
            : def.type === 'value_sum'
              ? ' sum(ew_value) as value_sum'
              : def.type === 'value_avg'
                ? ' avg(ew_value) as value_avg'
                : ` perc${def.percentile ?? 95}(ew_value) as value_percentile`;
      const compared = def.type === 'event_count' ? 'event_count' : def.type;
      const spl = [
        unionSearch(def, searches, groups, withValue),
        `bin _time span=${span(def.timespanMs)}`,
        `stats count as event_count${metric} ${EVIDENCE}${by}`,
        `where ${conditionWhere(compared, def.condition ?? { gte: 1 })}`,
      ].join(' | ');
      notes.push('fixed time bins (the stream uses overlapping windows): a burst split by a bin edge may stay under the threshold');
      return { spl, groupFields: groups.fields, dispatchEarliest: windowEarliest(def.timespanMs), notes };
    }
    case 'temporal':
    case 'temporal_ordered': {
      const n = def.rules.length;
      const steps = [unionSearch(def, searches, groups, false), `bin _time span=${span(def.timespanMs)}`];
      if (n === 1) {
        steps.push(`stats count as event_count ${EVIDENCE}${by}`, 'where event_count>=1');
        return { spl: steps.join(' | '), groupFields: groups.fields, dispatchEarliest: windowEarliest(def.timespanMs), notes };
      }
      const ordered = def.type === 'temporal_ordered';
      if (ordered) {
        steps.push(`eval ${def.rules.map((r, i) => `ew_t${i}=if(event_type==${splString(r)}, _time, null())`).join(', ')}`);
      }
      const times = ordered ? def.rules.map((_, i) => ` min(ew_t${i}) as ew_first_${i} max(ew_t${i}) as ew_last_${i}`).join('') : '';
      steps.push(`stats dc(event_type) as rule_count count as event_count values(event_type) as event_types${times} ${EVIDENCE}${by}`);
      const conds = [def.condition ? conditionWhere('rule_count', def.condition) : `rule_count>=${n}`];
      if (ordered) for (let i = 0; i + 1 < n; i++) conds.push(`ew_first_${i}<=ew_last_${i + 1}`);
      steps.push(`where ${conds.join(' AND ')}`);
      notes.push('fixed time bins: two events in neighbouring bins are not joined');
      if (ordered) notes.push('order: the first event of each rule must come before the last event of the next rule in the bin');
      return { spl: steps.join(' | '), groupFields: groups.fields, dispatchEarliest: windowEarliest(def.timespanMs), notes };
    }
    case 'rate_change': {
      const s = span(def.timespanMs);
      const steps = [unionSearch(def, searches, groups, false), ...bucketCounts(s, groups.fields)];
      steps.push(
        `streamstats window=${def.previous} current=f global=f avg(event_count) as previous_mean count as previous_windows${byClause(groups.fields, false)}`,
        'eval change_pct=if(previous_mean>0, round((event_count-previous_mean)*100/previous_mean, 2), null())',
        'eventstats max(_time) as ew_last_bucket',
        `where _time==ew_last_bucket AND previous_windows>=${def.previous} AND event_count>=${def.minCount} AND ${conditionWhere('change_pct', def.condition)}`,
      );
      notes.push('a bucket whose previous mean is 0 never fires (the change in percent is undefined)');
      const earliest = `-${minutes(def.timespanMs * (def.previous + 1)) + 15}m@h`;
      return { spl: steps.join(' | '), groupFields: groups.fields, dispatchEarliest: earliest, notes };
    }
    case 'baseline': {
      const s = span(def.timespanMs);
      const samples = Math.max(1, Math.floor(def.learningMs / (7 * 86_400_000)));
      const steps = [unionSearch(def, searches, groups, false), ...bucketCounts(s, groups.fields), HOUR_OF_WEEK_EVAL];
      steps.push(
        `streamstats current=f avg(event_count) as baseline_mean stdev(event_count) as baseline_stdev count as baseline_samples${byClause([...groups.fields, 'ew_hour_of_week'], false)}`,
        'eventstats max(_time) as ew_last_bucket',
        `where _time==ew_last_bucket AND baseline_samples>=${samples} AND event_count>=${def.minCount} AND event_count>baseline_mean+${def.sigma}*coalesce(baseline_stdev, 0)`,
      );
      notes.push('hour of week in the time zone of the search owner; buckets with no event count as 0 only without group-by');
      return { spl: steps.join(' | '), groupFields: groups.fields, dispatchEarliest: `-${minutes(def.learningMs + def.timespanMs) + 15}m@h`, notes };
    }
    case 'first_seen': {
      const how = def.field === HOUR_OF_WEEK_FIELD;
      const steps = [unionSearch(def, searches, groups, !how)];
      let valueName = 'ew_value';
      if (how) {
        steps.push(HOUR_OF_WEEK_EVAL);
        valueName = 'ew_hour_of_week';
      }
      const key = [...groups.fields, valueName];
      steps.push(
        `stats min(_time) as firstTime max(_time) as lastTime count as event_count values(properties.id) as event_ids${byClause(key, false)}`,
        `eventstats min(firstTime) as ew_group_first_seen${byClause(groups.fields, false)}`,
        `where firstTime>=relative_time(now(), ${splString(RUN_EARLIEST)}) AND ew_group_first_seen<=firstTime-${Math.round(def.learningMs / 1000)}`,
      );
      notes.push('reads the whole lookback at each run: for large tenants keep first-seen values in a summary index or lookup');
      if (how) notes.push('hour of week in the time zone of the search owner');
      return { spl: steps.join(' | '), groupFields: [...groups.fields, valueName], dispatchEarliest: `-${minutes(def.lookbackMs)}m@h`, notes };
    }
  }
}

/** Counts per bucket with empty buckets as 0 (timechart) when there is at most one group-by field. */
function bucketCounts(s: string, fields: string[]): string[] {
  if (fields.length === 0) return [`timechart span=${s} count as event_count`];
  if (fields.length === 1) {
    return [`timechart span=${s} limit=0 useother=f usenull=f count by ${fields[0]}`, `untable _time ${fields[0]} event_count`];
  }
  return [`bin _time span=${s}`, `stats count as event_count by _time ${fields.join(' ')}`];
}

/** The dispatch window of a window correlation: the previous hour, or the whole timespan when longer. */
function windowEarliest(timespanMs: number): string {
  return timespanMs <= 3_600_000 && 3_600_000 % timespanMs === 0 ? RUN_EARLIEST : `-${minutes(timespanMs) + 75}m@h`;
}

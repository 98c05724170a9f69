/**
 * RuleEngine: runs compiled Sigma rules and correlations over batches of EntraEvents, with all correlation state in
 * a CounterStore (one store round trip per batch; one more per chaining level, only in batches where an inner
 * correlation fired). Windows are in event time with an allowed lateness; see docs/rules.md for the semantics.
 */
import type { EntraEvent } from '../normalize/event.js';
import type { CounterStore, StoreOp, StoreResult, WindowAdd, SeriesAdd, NoveltyAdd, BucketToClose } from '../state/types.js';
import { describeCondition } from './correlation/parse.js';
import { formatDuration } from './correlation/duration.js';
import { HourOfWeek } from './correlation/hour-of-week.js';
import type { RuleOverrides } from './correlation/overrides.js';
import type { RawCorrelationDocLike } from './correlation/parse.js';
import { buildEnginePlan, type CorrelationPlan, type EnginePlan, type RulePlan } from './correlation/plan.js';
import { HOUR_OF_WEEK_FIELD } from './correlation/types.js';
import { buildCorrelationDetection, buildEventDetection, type CorrelationFire } from './detection.js';
import { RuleIndex } from './index/rule-index.js';
import type { CompiledRule } from './sigma/compile.js';
import type { Detection } from './types.js';

export type DetectionHook = (d: Detection, events: EntraEvent[]) => Promise<Detection | null>;

export interface RuleEngineOptions {
  rules: CompiledRule[];
  correlations: RawCorrelationDocLike[];
  store: CounterStore;
  /** derived fields added to each event before matching */
  enrichers?: Array<(event: EntraEvent) => void>;
  /** async post-filters of every detection (null drops it), e.g. a DNS check */
  detectionHooks?: DetectionHook[];
  /** how late an event may arrive (event time behind the latest seen) and still count; default 10 min */
  allowedLatenessMs?: number;
  /** pick candidate rules per event with the RuleIndex (default true); false tries every rule */
  useIndex?: boolean;
  /** wall clock, for evaluateScheduled() without an explicit time */
  now?: () => number;
  /** rules.overrides from config */
  overrides?: RuleOverrides;
  /** time zone of @hour_of_week and of the baseline hour of week (default UTC) */
  timeZone?: string;
}

export interface RuleEngineStats {
  events: number;
  matches: number;
  /** event -> window adds refused as later than the allowed lateness */
  late: number;
  detections: number;
  suppressed: number;
  storeCalls: number;
}

export const DEFAULT_ALLOWED_LATENESS_MS = 600_000;
/** most buckets one scheduled run closes per correlation (a long pause catches up over several runs) */
const MAX_BUCKETS_PER_RUN = 2000;

interface PendingAdds {
  window: WindowAdd[];
  series: SeriesAdd[];
  novelty: NoveltyAdd[];
  /** group key -> events that fed it (for the detection's CIM fields and hooks) */
  events: Map<string, EntraEvent[]>;
}

interface Fired {
  plan: CorrelationPlan;
  fire: CorrelationFire;
  /** event time a chained correlation sees */
  chainTime: number;
  suppressed: boolean;
}

export class RuleEngine {
  readonly stats: RuleEngineStats = { events: 0, matches: 0, late: 0, detections: 0, suppressed: 0, storeCalls: 0 };
  private readonly plan: EnginePlan;
  private readonly store: CounterStore;
  private readonly latenessMs: number;
  private readonly enrichers: Array<(event: EntraEvent) => void>;
  private readonly hooks: DetectionHook[];
  private readonly index: RuleIndex | null;
  private readonly activeRules: readonly CompiledRule[];
  private readonly planOf = new Map<CompiledRule, RulePlan>();
  private readonly hourOfWeek: HourOfWeek;
  private readonly now: () => number;
  private maxEventTime = -Infinity;
  private lastCloseUntil = -Infinity;

  private constructor(opts: RuleEngineOptions, plan: EnginePlan) {
    this.plan = plan;
    this.store = opts.store;
    this.latenessMs = opts.allowedLatenessMs ?? DEFAULT_ALLOWED_LATENESS_MS;
    this.enrichers = opts.enrichers ?? [];
    this.hooks = opts.detectionHooks ?? [];
    this.hourOfWeek = new HourOfWeek(opts.timeZone ?? 'UTC');
    this.now = opts.now ?? Date.now;
    const active = plan.rules.filter((r) => r.emits || r.consumers.length > 0);
    for (const r of active) this.planOf.set(r.rule, r);
    this.activeRules = active.map((r) => r.rule);
    this.index = opts.useIndex === false ? null : new RuleIndex(this.activeRules);
  }

  static async create(opts: RuleEngineOptions): Promise<RuleEngine> {
    const plan = buildEnginePlan({
      rules: opts.rules,
      correlations: opts.correlations,
      overrides: opts.overrides,
      latenessMs: opts.allowedLatenessMs ?? DEFAULT_ALLOWED_LATENESS_MS,
    });
    return new RuleEngine(opts, plan);
  }

  /** The correlation plans (for `rules list` and tests). */
  get correlations(): readonly CorrelationPlan[] {
    return this.plan.correlations;
  }

  get rulePlans(): readonly RulePlan[] {
    return this.plan.rules;
  }

  /** Latest event time seen minus the allowed lateness: windows ending before it are closed. */
  watermark(): number | null {
    if (!Number.isFinite(this.maxEventTime) || !Number.isFinite(this.latenessMs)) return null;
    return this.maxEventTime - this.latenessMs;
  }

  async processBatch(events: EntraEvent[]): Promise<Detection[]> {
    // the watermark before this batch: events of a batch are judged against what came before it (their order
    // inside the batch does not matter); windows close as later batches move it on
    const closeUntil = this.watermark();
    for (const e of events) {
      for (const enrich of this.enrichers) enrich(e);
      if (e.time > this.maxEventTime) this.maxEventTime = e.time;
    }
    this.stats.events += events.length;
    const pending = new Map<CorrelationPlan, PendingAdds>();
    const singles: Array<{ plan: RulePlan; event: EntraEvent }> = [];
    for (const event of events) {
      const candidates = this.index ? this.index.candidates(event) : this.activeRules;
      for (let i = 0; i < candidates.length; i++) {
        const rule = candidates[i]!;
        if (!rule.match(event)) continue;
        const rp = this.planOf.get(rule);
        if (!rp) continue;
        this.stats.matches++;
        if (rp.emits) singles.push({ plan: rp, event });
        for (const c of rp.consumers) this.addFromEvent(pending, c.plan, c.ruleIndex, c.groupAccessors, c.valueAccessor, event);
      }
    }
    const advanced = closeUntil !== null && closeUntil > this.lastCloseUntil;
    if (advanced) this.lastCloseUntil = closeUntil;
    const detections = await this.run(pending, closeUntil, advanced, singles);
    return this.finish(detections);
  }

  /**
   * Closes what is due at `untilEventTime` (default: now): rate_change / baseline buckets ending before it minus
   * the lateness, close-time windows and first_seen candidates. Run once per cluster (a BullMQ repeatable job).
   */
  async evaluateScheduled(untilEventTime?: number): Promise<Detection[]> {
    const until = (untilEventTime ?? this.now()) - (Number.isFinite(this.latenessMs) ? this.latenessMs : 0);
    return this.finish(await this.closeAll(until, false));
  }

  /** End of input (scan): closes every open window and bucket. */
  async flush(): Promise<Detection[]> {
    return this.finish(await this.closeAll(Infinity, true));
  }

  private async closeAll(until: number, final: boolean): Promise<Array<{ d: Detection; events: EntraEvent[] }>> {
    const out: Array<{ d: Detection; events: EntraEvent[] }> = [];
    const fired: Fired[] = [];
    for (const plan of this.plan.correlations) {
      if (plan.kind !== 'series') continue;
      const info = await this.store.seriesInfo(plan.def.meta.id);
      if (info.firstBucket === null) continue;
      const span = plan.spec.timespanMs;
      const buckets: BucketToClose[] = [];
      let b = info.lastClosed === null ? info.firstBucket : info.lastClosed + span;
      const lastDue = final ? Math.floor((info.maxTime ?? b) / span) * span : until - span;
      for (; b <= lastDue && buckets.length < MAX_BUCKETS_PER_RUN; b += span) buckets.push({ start: b, slot: this.hourOfWeek.of(b) });
      if (buckets.length === 0) continue;
      this.stats.storeCalls++;
      for (const hit of await this.store.seriesClose(plan.def.meta.id, plan.spec, buckets)) fired.push(this.seriesFire(plan, hit));
    }
    out.push(...this.emitFired(fired, new Map()));
    const chained = this.chain(fired);
    out.push(...(await this.run(chained, until, true, [])));
    return out;
  }

  private addFromEvent(
    pending: Map<CorrelationPlan, PendingAdds>,
    plan: CorrelationPlan,
    ruleIndex: number,
    groupAccessors: ReadonlyArray<{ get(e: EntraEvent): unknown[] }>,
    valueAccessor: { get(e: EntraEvent): unknown[] } | undefined,
    event: EntraEvent,
  ): void {
    const values: string[] = [];
    for (const acc of groupAccessors) {
      const v = firstValue(acc.get(event));
      if (v === undefined) return; // as Splunk's stats by: events without a group value are not counted
      values.push(v);
    }
    let value: string | undefined;
    if (plan.kind === 'novelty' && plan.def.type === 'first_seen' && plan.def.field === HOUR_OF_WEEK_FIELD) {
      value = String(this.hourOfWeek.of(event.time));
    } else if (valueAccessor) {
      value = firstValue(valueAccessor.get(event));
      if (value === undefined) return;
    }
    this.pushAdd(pending, plan, values, ruleIndex, event.id, event.time, value, event);
  }

  private pushAdd(
    pending: Map<CorrelationPlan, PendingAdds>,
    plan: CorrelationPlan,
    groupValues: string[],
    ruleIndex: number,
    eventId: string,
    time: number,
    value: string | undefined,
    event: EntraEvent | undefined,
    triggering: EntraEvent[] = [],
  ): void {
    let p = pending.get(plan);
    if (!p) pending.set(plan, (p = { window: [], series: [], novelty: [], events: new Map() }));
    const group = groupValues.join('\x1f');
    if (plan.kind === 'window') {
      const add: WindowAdd = { group, eventId, time, ruleIndex };
      if (value !== undefined) {
        if (plan.spec.metric === 'distinct') add.value = value;
        else {
          const n = Number(value);
          if (Number.isFinite(n)) add.num = n;
        }
      }
      p.window.push(add);
    } else if (plan.kind === 'series') {
      p.series.push({ group, eventId, time });
    } else {
      if (value === undefined) return;
      p.novelty.push({ group, value, eventId, time });
    }
    let list = p.events.get(group);
    if (!list) p.events.set(group, (list = []));
    if (event) list.push(event);
    else list.push(...triggering);
  }

  /** One store round trip for everything pending, then the chained correlations, level by level. */
  private async run(
    pending: Map<CorrelationPlan, PendingAdds>,
    closeUntil: number | null,
    closeDue: boolean,
    singles: Array<{ plan: RulePlan; event: EntraEvent }>,
  ): Promise<Array<{ d: Detection; events: EntraEvent[] }>> {
    const out: Array<{ d: Detection; events: EntraEvent[] }> = [];
    let first = true;
    while (first || pending.size > 0) {
      const ops: StoreOp[] = [];
      const handlers: Array<(r: StoreResult) => void> = [];
      const fired: Fired[] = [];
      if (first) {
        for (const s of singles) {
          const group = singleGroupKey(s.event);
          const d = buildEventDetection(s.plan.meta, s.event, s.plan.suppressMs, group);
          if (s.plan.suppressMs > 0) {
            ops.push({ kind: 'suppress', scope: s.plan.meta.id, group, time: s.event.time, periodMs: s.plan.suppressMs });
            handlers.push((r) => {
              if (r.kind === 'suppress' && r.suppressed) this.stats.suppressed++;
              else out.push({ d, events: [s.event] });
            });
          } else {
            out.push({ d, events: [s.event] });
          }
        }
      }
      for (const plan of this.plan.correlations) {
        const p = pending.get(plan);
        const scope = plan.def.meta.id;
        if (plan.kind === 'window') {
          const closes = first && closeDue && closeUntil !== null && !plan.spec.eager;
          if (!p?.window.length && !closes) continue;
          ops.push({ kind: 'window', scope, spec: plan.spec, adds: p?.window ?? [], closeUntil: first ? closeUntil : null });
          handlers.push((r) => {
            if (r.kind !== 'window') return;
            this.stats.late += r.late;
            for (const hit of r.fired) fired.push(this.windowFire(plan, hit));
          });
        } else if (plan.kind === 'series') {
          if (!p?.series.length) continue;
          ops.push({ kind: 'series-add', scope, spec: plan.spec, adds: p.series });
          handlers.push((r) => {
            if (r.kind === 'series-add') this.stats.late += p.series.length - r.accepted;
          });
        } else {
          const finalizes = first && closeDue && closeUntil !== null;
          if (!p?.novelty.length && !finalizes) continue;
          ops.push({ kind: 'novelty', scope, spec: plan.spec, adds: p?.novelty ?? [], finalizeUntil: first ? closeUntil : null });
          handlers.push((r) => {
            if (r.kind !== 'novelty') return;
            for (const hit of r.fired) fired.push(this.noveltyFire(plan, hit));
          });
        }
      }
      first = false;
      if (ops.length === 0) break;
      this.stats.storeCalls++;
      const results = await this.store.execute(ops);
      results.forEach((r, i) => handlers[i]!(r));
      const eventsOf = new Map<CorrelationPlan, Map<string, EntraEvent[]>>();
      for (const [plan, p] of pending) eventsOf.set(plan, p.events);
      out.push(...this.emitFired(fired, eventsOf));
      pending = this.chain(fired, eventsOf);
    }
    return out;
  }

  private emitFired(fired: Fired[], eventsOf: Map<CorrelationPlan, Map<string, EntraEvent[]>>): Array<{ d: Detection; events: EntraEvent[] }> {
    const out: Array<{ d: Detection; events: EntraEvent[] }> = [];
    for (const f of fired) {
      if (!f.plan.emits) continue;
      if (f.suppressed) {
        this.stats.suppressed++;
        continue;
      }
      const events = eventsOf.get(f.plan)?.get(f.fire.groupKey) ?? [];
      out.push({ d: buildCorrelationDetection(f.plan.def.meta, this.withSuppressionBucket(f), events), events });
    }
    return out;
  }

  /** Detections of inner correlations become events of the correlations that refer to them. */
  private chain(fired: Fired[], eventsOf = new Map<CorrelationPlan, Map<string, EntraEvent[]>>()): Map<CorrelationPlan, PendingAdds> {
    const next = new Map<CorrelationPlan, PendingAdds>();
    for (const f of fired) {
      if (f.plan.chainConsumers.length === 0) continue;
      const id = buildCorrelationDetection(f.plan.def.meta, this.withSuppressionBucket(f), []).id;
      const triggering = eventsOf.get(f.plan)?.get(f.fire.groupKey) ?? [];
      for (const c of f.plan.chainConsumers) {
        const values = c.groupFields.map((name) => f.fire.group[name]);
        if (values.some((v) => v === undefined || v === '')) continue;
        let value: string | undefined;
        if (c.plan.kind === 'novelty' && c.plan.def.type === 'first_seen' && c.plan.def.field === HOUR_OF_WEEK_FIELD) {
          value = String(this.hourOfWeek.of(f.chainTime));
        } else if (c.valueField !== undefined) {
          value = f.fire.group[c.valueField];
          if (value === undefined) continue;
        }
        this.pushAdd(next, c.plan, values as string[], c.ruleIndex, id, f.chainTime, value, undefined, triggering);
      }
    }
    return next;
  }

  /**
   * With suppression, a detection stands for its suppression bucket: its id is sha256(rule id, group, bucket start),
   * so whichever window of the bucket fired first (arrival order), the id is the same.
   */
  private withSuppressionBucket(f: Fired): CorrelationFire {
    const ms = f.plan.def.suppressMs;
    if (ms <= 0) return f.fire;
    return { ...f.fire, discriminator: `s${Math.floor(f.fire.time / ms) * ms}` };
  }

  private groupRecord(plan: CorrelationPlan, groupKey: string): Record<string, string> {
    const names = plan.def.groupBy;
    if (names.length === 0) return {};
    const values = groupKey.split('\x1f');
    const out: Record<string, string> = {};
    names.forEach((n, i) => (out[n] = values[i] ?? ''));
    return out;
  }

  private windowFire(plan: CorrelationPlan, hit: import('../state/types.js').WindowHit): Fired {
    const def = plan.def;
    const values: Record<string, unknown> = { [def.type]: hit.metric };
    if ('condition' in def) values['condition'] = describeCondition(def.condition);
    if ('field' in def && def.field !== undefined) values['field'] = def.field;
    if (hit.distinct) values['distinct_values'] = hit.distinct;
    const what = def.type === 'event_count' ? 'events' : def.type === 'temporal' || def.type === 'temporal_ordered' ? 'rules' : def.type;
    const cond = 'condition' in def ? describeCondition(def.condition) : '';
    const span = plan.kind === 'window' ? formatDuration(plan.spec.timespanMs) : '';
    return this.windowedFire(plan, hit, hit.lastTime, values, `${what} ${formatNumber(hit.metric)} (${cond}) within ${span}`);
  }

  /** A fire of a window or series correlation: the window is the detection's time range and discriminator. */
  private windowedFire(
    plan: CorrelationPlan,
    hit: { group: string; start: number; end: number; eventIds: string[]; count: number; suppressed: boolean },
    chainTime: number,
    values: Record<string, unknown>,
    summary: string,
  ): Fired {
    return {
      plan,
      chainTime,
      suppressed: hit.suppressed,
      fire: {
        groupKey: hit.group,
        group: this.groupRecord(plan, hit.group),
        window: { start: hit.start, end: hit.end },
        time: hit.end,
        discriminator: hit.start,
        eventIds: hit.eventIds,
        count: hit.count,
        values,
        summary,
      },
    };
  }

  private seriesFire(plan: CorrelationPlan, hit: import('../state/types.js').SeriesHit): Fired {
    const def = plan.def;
    const rate = def.type === 'rate_change';
    const values: Record<string, unknown> = rate
      ? {
          change_percent: Number.isFinite(hit.score) ? round(hit.score) : null,
          previous_mean: round(hit.mean),
          previous_windows: def.previous,
          condition: describeCondition(def.condition),
        }
      : {
          mean: round(hit.mean),
          stddev: round(hit.stddev),
          threshold: round(hit.score),
          hour_of_week: HourOfWeek.label(this.hourOfWeek.of(hit.start)),
        };
    const summary = rate
      ? `${hit.count} events, ${Number.isFinite(hit.score) ? `${hit.score >= 0 ? '+' : ''}${round(hit.score)}%` : 'new'} vs a mean of ${round(hit.mean)} in the previous windows`
      : `${hit.count} events, above the learned ${round(hit.score)} (mean ${round(hit.mean)} + ${'sigma' in def ? def.sigma : 0} x ${round(hit.stddev)})`;
    return this.windowedFire(plan, hit, hit.end, values, summary);
  }

  private noveltyFire(plan: CorrelationPlan, hit: import('../state/types.js').NoveltyHit): Fired {
    const def = plan.def;
    const field = def.type === 'first_seen' ? def.field : '';
    const lookback = def.type === 'first_seen' ? def.lookbackMs : 0;
    const shown = field === HOUR_OF_WEEK_FIELD ? HourOfWeek.label(Number(hit.value)) : hit.value;
    return {
      plan,
      chainTime: hit.time,
      suppressed: hit.suppressed,
      fire: {
        groupKey: hit.group,
        group: this.groupRecord(plan, hit.group),
        window: { start: hit.time - lookback, end: hit.time },
        time: hit.time,
        discriminator: `${hit.value}\x1f${hit.time}`,
        eventIds: [hit.eventId],
        count: 1,
        values: { field, value: hit.value, ...(shown !== hit.value ? { label: shown } : {}), group_first_seen: new Date(hit.groupFirstSeen).toISOString() },
        summary: `${field} ${shown} not seen within ${formatDuration(lookback)}`,
      },
    };
  }

  private async finish(items: Array<{ d: Detection; events: EntraEvent[] }>): Promise<Detection[]> {
    const out: Detection[] = [];
    for (const { d, events } of items) {
      let cur: Detection | null = d;
      for (const hook of this.hooks) {
        cur = await hook(cur, events);
        if (cur === null) break;
      }
      if (cur) out.push(cur);
    }
    this.stats.detections += out.length;
    return out;
  }
}

function firstValue(values: unknown[]): string | undefined {
  for (const v of values) {
    if (v === undefined || v === null) continue;
    const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
    if (s !== '') return s;
  }
  return undefined;
}

/** Suppression group of a single-event rule: the user, else the source address. */
function singleGroupKey(event: EntraEvent): string {
  const user = event.cim['user'];
  const src = event.cim['src'] ?? event.cim['src_ip'];
  const pick = (v: unknown) => (Array.isArray(v) ? v[0] : v);
  return String(pick(user) ?? pick(src) ?? '');
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

function formatNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : String(round(x));
}

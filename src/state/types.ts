/**
 * The CounterStore: all shared correlation state of the rule engine, behind one interface with two
 * implementations (MemoryCounterStore for scan / tests, RedisCounterStore for workers sharing state).
 *
 * The engine collects every piece of counter work of one batch into a list of StoreOps and calls `execute` once:
 * the Redis store sends them in ONE round trip. Every op is idempotent by event id (a redelivered batch changes
 * nothing) and every "fire" decision (threshold crossed, window closed, value new) is made inside the store,
 * atomically, together with the suppression check, so that several workers never fire the same thing twice.
 *
 * Windows are in EVENT time. Window correlations use hopping windows: windows of `timespanMs` starting at every
 * multiple of `hopMs` (the engine uses hop = timespan / 2), so every event lands in timespan / hop windows.
 */

/** A numeric condition range: every bound given must hold. */
export interface StoreCondition {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  eq?: number;
  neq?: number;
}

/** What a window measures. */
export type WindowMetric =
  | 'count' // events in the window
  | 'distinct' // distinct `value`s
  | 'sum' // sum of `num`
  | 'avg' // mean of `num`
  | 'percentile' // the `percentile`-th percentile (nearest rank) of `num`
  | 'rules' // distinct `ruleIndex`es
  | 'sequence'; // rules 0..ruleCount-1 seen in this order of event time (greedy), value = how many in order

export interface WindowSpec {
  metric: WindowMetric;
  timespanMs: number;
  /** window starts are multiples of hopMs; timespanMs must be a multiple of hopMs */
  hopMs: number;
  /** allowed lateness: a window is closed (and refuses adds) once the watermark passes end + lateness */
  latenessMs: number;
  /** undefined for rules / sequence = all `ruleCount` rules */
  condition?: StoreCondition;
  ruleCount: number;
  percentile?: number;
  /** fire as soon as the condition holds (monotone conditions); otherwise fire when the window closes */
  eager: boolean;
  /** at most one fire per group per bucket of suppressMs event time (0 = none) */
  suppressMs: number;
}

export interface WindowAdd {
  group: string;
  eventId: string;
  time: number;
  /** distinct metric: the value (string) */
  value?: string;
  /** sum / avg / percentile: the number */
  num?: number;
  /** rules / sequence: index of the rule in the correlation's `rules` */
  ruleIndex?: number;
}

/** A window whose condition held (eager) or held when it closed. */
export interface WindowHit {
  group: string;
  start: number;
  end: number;
  /** events in the window when it fired */
  count: number;
  /** the measured value compared with the condition */
  metric: number;
  /** up to 50 event ids of the window */
  eventIds: string[];
  /** distinct metric: up to 50 of the values */
  distinct?: string[];
  /** latest event time in the window when it fired (what a chained correlation sees as the event time) */
  lastTime: number;
  /** another fire for this group in the same suppression bucket: the engine drops it */
  suppressed: boolean;
}

/** rate_change / baseline: fixed buckets of timespanMs per group. */
export interface SeriesSpec {
  mode: 'rate' | 'baseline';
  timespanMs: number;
  latenessMs: number;
  /** rate: previous buckets averaged; the correlation is silent until it has seen that many */
  previous: number;
  /** rate: condition on the change in percent */
  condition?: StoreCondition;
  minCount: number;
  /** baseline: sigmas above the mean */
  sigma: number;
  /** baseline: silent until the correlation has seen learningMs of data */
  learningMs: number;
  suppressMs: number;
}

export interface SeriesAdd {
  group: string;
  eventId: string;
  time: number;
}

/** A bucket to close: start, and for baseline the hour-of-week slot (0..167) it belongs to. */
export interface BucketToClose {
  start: number;
  slot: number;
}

export interface SeriesInfo {
  /** start of the first bucket ever counted, null before the first event */
  firstBucket: number | null;
  /** start of the last closed bucket */
  lastClosed: number | null;
  /** latest event time counted */
  maxTime: number | null;
}

export interface SeriesHit {
  group: string;
  start: number;
  end: number;
  count: number;
  eventIds: string[];
  /** rate: mean of the previous buckets; baseline: mean of past counts of this slot */
  mean: number;
  /** baseline: population standard deviation of past counts of this slot */
  stddev: number;
  /** rate: change in percent (Infinity when the mean was 0); baseline: the threshold mean + sigma * stddev */
  score: number;
  suppressed: boolean;
}

/** first_seen: value per group, novel when not seen within lookbackMs. */
export interface NoveltySpec {
  lookbackMs: number;
  learningMs: number;
  latenessMs: number;
  suppressMs: number;
}

export interface NoveltyAdd {
  group: string;
  value: string;
  eventId: string;
  time: number;
}

export interface NoveltyHit {
  group: string;
  value: string;
  /** event time of the first observation of the value */
  time: number;
  eventId: string;
  /** first event time seen for the group */
  groupFirstSeen: number;
  suppressed: boolean;
}

export type StoreOp =
  | { kind: 'window'; scope: string; spec: WindowSpec; adds: WindowAdd[]; closeUntil: number | null }
  | { kind: 'series-add'; scope: string; spec: SeriesSpec; adds: SeriesAdd[] }
  | { kind: 'novelty'; scope: string; spec: NoveltySpec; adds: NoveltyAdd[]; finalizeUntil: number | null }
  | { kind: 'suppress'; scope: string; group: string; time: number; periodMs: number };

export type StoreResult =
  | { kind: 'window'; fired: WindowHit[]; late: number }
  | { kind: 'series-add'; accepted: number }
  | { kind: 'novelty'; fired: NoveltyHit[] }
  | { kind: 'suppress'; suppressed: boolean };

export interface CounterStore {
  /** Runs every op of a batch (Redis: in one round trip). Results are in op order. */
  execute(ops: StoreOp[]): Promise<StoreResult[]>;
  /** rate_change / baseline bookkeeping, read by the scheduled evaluation. */
  seriesInfo(scope: string): Promise<SeriesInfo>;
  /** Closes these buckets (ascending) for every known group and returns the hits; run once per cluster. */
  seriesClose(scope: string, spec: SeriesSpec, buckets: BucketToClose[]): Promise<SeriesHit[]>;
  /** Windows (close-time ones) still open: every open window is closed by execute(closeUntil) later. */
  close(): Promise<void>;
}

/** The cap on event ids / values carried as evidence. */
export const EVIDENCE_CAP = 50;

/**
 * RedisCounterStore: the CounterStore shared by every worker. All counter work of a batch goes to Redis as ONE
 * pipeline of EVALSHA calls (one per correlation touched): one round trip. Each script touches only keys under
 * `<prefix>{<correlation id>}` (one hash tag, one Redis Cluster slot). Keys expire (wall clock) after the longest
 * time they can matter (window + lateness), so memory stays bounded; event ids make every add idempotent.
 */
import { Redis } from 'ioredis';
import { ConfigError } from '../../errors.js';
import { encodeCondition, seriesRetentionMs } from '../evaluate.js';
import type {
  BucketToClose,
  CounterStore,
  NoveltyHit,
  SeriesHit,
  SeriesInfo,
  SeriesSpec,
  StoreOp,
  StoreResult,
  WindowHit,
} from '../types.js';
import { COUNTER_SCRIPTS, type LuaScript } from './scripts.js';

export interface RedisCounterStoreOptions {
  /** an ioredis client; the store does not close it unless ownsClient */
  client: Redis;
  /** key prefix, e.g. "entrawatch:" (no braces) */
  keyPrefix?: string;
  ownsClient?: boolean;
}

/** Largest event time the scripts understand (JavaScript's max Date): stands for "close everything". */
const MAX_TIME = 8.64e15;

type Reply = string | number | null | Reply[];

export class RedisCounterStore implements CounterStore {
  readonly client: Redis;
  private readonly prefix: string;
  private readonly ownsClient: boolean;
  private loaded = false;

  constructor(opts: RedisCounterStoreOptions) {
    const prefix = opts.keyPrefix ?? 'entrawatch:';
    if (/[{}]/.test(prefix)) {
      throw new ConfigError('state.redis.keyPrefix', `"${prefix}" must not contain { or }: the store adds its own hash tag`);
    }
    this.client = opts.client;
    this.prefix = prefix;
    this.ownsClient = opts.ownsClient ?? false;
  }

  /** Connects to `url` (never logged: it may hold a password) and loads the scripts. */
  static async connect(url: string, keyPrefix?: string): Promise<RedisCounterStore> {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    await client.connect();
    const store = new RedisCounterStore({ client, keyPrefix, ownsClient: true });
    await store.loadScripts();
    return store;
  }

  /** SCRIPT LOAD of every script (once; again after a NOSCRIPT, e.g. a Redis restart). */
  async loadScripts(): Promise<void> {
    const p = this.client.pipeline();
    for (const s of Object.values(COUNTER_SCRIPTS)) p.script('LOAD', s.source);
    const res = await p.exec();
    for (const [err] of res ?? []) if (err) throw err;
    this.loaded = true;
  }

  baseKey(scope: string): string {
    return `${this.prefix}{${scope.replace(/[{}]/g, '_')}}`;
  }

  async execute(ops: StoreOp[]): Promise<StoreResult[]> {
    if (ops.length === 0) return [];
    if (!this.loaded) await this.loadScripts();
    const calls = ops.map((op) => this.call(op));
    let replies = await this.run(calls);
    if (replies.some((r) => r instanceof Error && /NOSCRIPT/.test(r.message))) {
      // scripts flushed (restart, failover): reload and redo the batch; every op is idempotent by event id
      await this.loadScripts();
      replies = await this.run(calls);
    }
    return ops.map((op, i) => {
      const reply = replies[i];
      if (reply instanceof Error) throw reply;
      return parseResult(op, reply as Reply);
    });
  }

  private call(op: StoreOp): { script: LuaScript; key: string; args: Array<string | number> } {
    const key = this.baseKey(op.scope);
    switch (op.kind) {
      case 'window': {
        const s = op.spec;
        const ttl = s.timespanMs + s.latenessMs + s.hopMs;
        const args: Array<string | number> = [
          s.metric,
          s.timespanMs,
          s.hopMs,
          ttl,
          s.eager ? '1' : '0',
          encodeCondition(s.condition),
          s.ruleCount,
          s.percentile ?? 95,
          s.suppressMs,
          op.closeUntil === null ? '' : Math.min(op.closeUntil, MAX_TIME),
        ];
        pushWindowAdds(args, op);
        return { script: COUNTER_SCRIPTS.window, key, args };
      }
      case 'series-add': {
        const s = op.spec;
        const idsTtl = 2 * s.timespanMs + s.latenessMs + 600_000;
        const countsTtl = s.mode === 'rate' ? (s.previous + 2) * s.timespanMs + s.latenessMs + 600_000 : idsTtl;
        const runs = new Map<string, { bucket: number; group: string; adds: Array<string | number> }>();
        for (const a of op.adds) {
          const bucket = Math.floor(a.time / s.timespanMs) * s.timespanMs;
          const key = `${bucket}\u001e${a.group}`;
          let run = runs.get(key);
          if (!run) runs.set(key, (run = { bucket, group: a.group, adds: [] }));
          run.adds.push(a.eventId, a.time);
        }
        const args: Array<string | number> = [s.timespanMs, idsTtl, countsTtl, runs.size];
        for (const r of runs.values()) {
          args.push(luaFmt(r.bucket), r.group, r.adds.length / 2);
          for (const x of r.adds) args.push(x);
        }
        return { script: COUNTER_SCRIPTS.seriesAdd, key, args };
      }
      case 'novelty': {
        const s = op.spec;
        const args: Array<string | number> = [
          s.lookbackMs,
          s.learningMs,
          s.suppressMs,
          s.lookbackMs + s.latenessMs,
          op.finalizeUntil === null ? '' : Math.min(op.finalizeUntil, MAX_TIME),
          op.adds.length,
        ];
        for (const a of op.adds) args.push(a.group, a.value, a.eventId, a.time);
        return { script: COUNTER_SCRIPTS.novelty, key, args };
      }
      case 'suppress':
        return { script: COUNTER_SCRIPTS.suppress, key, args: [op.group, op.time, op.periodMs] };
    }
  }

  /** One pipeline = one write and one round trip. Errors come back per call. */
  private async run(calls: Array<{ script: LuaScript; key: string; args: Array<string | number> }>): Promise<Array<Reply | Error>> {
    const p = this.client.pipeline();
    for (const c of calls) p.evalsha(c.script.sha, c.script.numKeys, c.key, ...c.args);
    const res = (await p.exec()) ?? [];
    return res.map(([err, value]) => (err ? err : (value as Reply)));
  }

  async seriesInfo(scope: string): Promise<SeriesInfo> {
    const [first, lastClosed, maxTime] = await this.client.hmget(`${this.baseKey(scope)}:meta`, 'first', 'lastClosed', 'maxTime');
    return { firstBucket: num(first), lastClosed: num(lastClosed), maxTime: num(maxTime) };
  }

  async seriesClose(scope: string, spec: SeriesSpec, buckets: BucketToClose[]): Promise<SeriesHit[]> {
    if (buckets.length === 0) return [];
    if (!this.loaded) await this.loadScripts();
    const retention = seriesRetentionMs(spec);
    const args: Array<string | number> = [
      spec.mode,
      spec.timespanMs,
      spec.previous,
      encodeCondition(spec.condition),
      spec.minCount,
      spec.sigma,
      spec.learningMs,
      spec.suppressMs,
      retention * 2,
      retention,
      buckets.length,
    ];
    for (const b of buckets) args.push(b.start, b.slot);
    const s = COUNTER_SCRIPTS.seriesClose;
    let reply: Reply;
    try {
      reply = (await this.client.evalsha(s.sha, s.numKeys, this.baseKey(scope), ...args)) as Reply;
    } catch (err) {
      if (!(err instanceof Error) || !/NOSCRIPT/.test(err.message)) throw err;
      await this.loadScripts();
      reply = (await this.client.evalsha(s.sha, s.numKeys, this.baseKey(scope), ...args)) as Reply;
    }
    return (reply as Reply[]).map((h) => {
      const x = h as Reply[];
      return {
        group: String(x[0]),
        start: Number(x[1]),
        end: Number(x[2]),
        count: Number(x[3]),
        mean: Number(x[4]),
        stddev: Number(x[5]),
        score: luaNumber(x[6]),
        suppressed: x[7] === '1',
        eventIds: (x[8] as Reply[]).map(String),
      };
    });
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.quit();
  }
}

/** A number as the Lua scripts' fmt() writes it: integers without exponent, else 17 significant digits. */
export function luaFmt(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 9007199254740992) return String(x);
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  // %.17g: exponent form below 1e-4 or from 1e17, trailing zeros dropped
  const exp = Math.floor(Math.log10(Math.abs(x)));
  if (exp < -4 || exp >= 17) {
    const [mant, e] = x.toExponential(16).split('e') as [string, string];
    const sign = e.startsWith('-') ? '-' : '+';
    const digits = e.replace(/^[+-]/, '').padStart(2, '0');
    return `${mant.replace(/\.?0+$/, '')}e${sign}${digits}`;
  }
  const fixed = x.toFixed(Math.max(0, 16 - exp));
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/**
 * The adds of a window op for window-1.lua: ARGV[11] their number, then per add group, event id, time (as the
 * script's fmt() writes it), the entry "time|rule|num", and the distinct value (distinct) or rule index (rules,
 * sequence). Only what the metric needs and no string work left for Lua, which is slow in Redis.
 */
function pushWindowAdds(args: Array<string | number>, op: Extract<StoreOp, { kind: 'window' }>): void {
  const metric = op.spec.metric;
  const usesSet = metric === 'distinct' || metric === 'rules' || metric === 'sequence';
  args.push(op.adds.length);
  for (const a of op.adds) {
    const rule = a.ruleIndex === undefined ? '' : String(a.ruleIndex);
    const tf = luaFmt(a.time);
    args.push(a.group, a.eventId, tf, `${tf}|${rule}|${a.num === undefined ? '' : String(a.num)}`);
    if (usesSet) args.push(metric === 'distinct' ? (a.value ?? '') : rule);
  }
}

function num(v: string | null): number | null {
  return v === null || v === '' ? null : Number(v);
}

function luaNumber(v: Reply): number {
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return Number(v);
}

function parseResult(op: StoreOp, reply: Reply): StoreResult {
  switch (op.kind) {
    case 'window': {
      const arr = reply as Reply[];
      const fired: WindowHit[] = arr.slice(1).map((h) => {
        const x = h as Reply[];
        const hit: WindowHit = {
          group: String(x[0]),
          start: Number(x[1]),
          end: Number(x[2]),
          count: Number(x[3]),
          metric: luaNumber(x[4]),
          lastTime: Number(x[5]),
          suppressed: x[6] === '1',
          eventIds: (x[7] as Reply[]).map(String),
        };
        if (op.spec.metric === 'distinct') hit.distinct = (x[8] as Reply[]).map(String);
        return hit;
      });
      return { kind: 'window', fired, late: Number(arr[0]) };
    }
    case 'series-add':
      return { kind: 'series-add', accepted: Number(reply) };
    case 'novelty':
      return {
        kind: 'novelty',
        fired: (reply as Reply[]).map((h): NoveltyHit => {
          const x = h as Reply[];
          return {
            group: String(x[0]),
            value: String(x[1]),
            time: Number(x[2]),
            eventId: String(x[3]),
            groupFirstSeen: Number(x[4]),
            suppressed: x[5] === '1',
          };
        }),
      };
    case 'suppress':
      return { kind: 'suppress', suppressed: Number(reply) === 1 };
  }
}

/**
 * Issue #4 item 7: every planted scenario of samples/manifest.json against the real pipeline. Decodes and
 * normalizes every sample file, runs the rules of rules/ (placeholders and rule settings of
 * entrawatch.example.yaml, in-memory counter store, a fake DNS resolver for the AP-8 hook) over the learning
 * history first and then over the sample day in arrival order (the envelopes of the four Event Hubs files
 * interleaved as a consumer would receive them), flushes, and compares the detections with the manifest, one
 * test per row of the guide: a "fire" scenario needs a detection of that row whose evidence holds one of its
 * event ids; a "no-fire" scenario must have none of its ids in any detection of that row.
 * The portal CSV and Graph JSON files are other exports of records of the same day (same ids); they are decoded
 * and normalized here but not run through the engine again, which would be a redelivery.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { decodePath } from '../../src/decode/index.js';
import { normalizeRecord } from '../../src/normalize/index.js';
import type { EntraEvent } from '../../src/normalize/event.js';
import { RuleEngine } from '../../src/rules/engine.js';
import { createDetectionHooks, createEnrichers, type HostResolver } from '../../src/rules/enrich/index.js';
import { loadRuleFiles } from '../../src/rules/load.js';
import type { Detection } from '../../src/rules/types.js';
import { MemoryCounterStore } from '../../src/state/index.js';

const SAMPLES = 'samples';
const GUIDE_ROWS = [
  ...Array.from({ length: 9 }, (_, i) => `CA-${i + 1}`),
  ...Array.from({ length: 13 }, (_, i) => `PA-${i + 1}`),
  ...Array.from({ length: 12 }, (_, i) => `AP-${i + 1}`),
  ...Array.from({ length: 15 }, (_, i) => `IN-${i + 1}`),
  ...Array.from({ length: 4 }, (_, i) => `BL-${i + 1}`),
];

interface Scenario {
  row: string;
  expect: 'fire' | 'no-fire';
  description: string;
  eventIds: string[];
}

interface Manifest {
  seed: number;
  day: string;
  records: number;
  scenarios: Scenario[];
}

/** RFC 2606: `.invalid` never resolves; every other host does. */
const fakeResolver: HostResolver = {
  resolve4: async (host) => {
    if (host.toLowerCase().endsWith('.invalid')) throw Object.assign(new Error(`queryA ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return ['192.0.2.10'];
  },
  resolve6: async (host) => {
    if (host.toLowerCase().endsWith('.invalid')) throw Object.assign(new Error(`queryAaaa ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return ['2001:db8::10'];
  },
};

interface Envelope {
  /** latest event time of the envelope: when a consumer could have it at the earliest */
  arrival: number;
  events: EntraEvent[];
}

interface DecodedFile {
  path: string;
  events: EntraEvent[];
  bad: string[];
}

async function decodeFile(path: string): Promise<DecodedFile> {
  const out: DecodedFile = { path, events: [], bad: [] };
  for await (const result of decodePath(path)) {
    if (!result.ok) {
      out.bad.push(`${path}: ${result.error.message}`);
      continue;
    }
    try {
      out.events.push(normalizeRecord(result));
    } catch (err) {
      out.bad.push(`${path}:${result.origin.line ?? '?'}: ${(err as Error).message}`);
    }
  }
  return out;
}

/** Groups a file's events by envelope (the line they came from), in file order. */
function envelopesOf(events: EntraEvent[]): Envelope[] {
  const out: Envelope[] = [];
  let line: number | undefined;
  for (const e of events) {
    const l = e.origin?.line;
    if (out.length === 0 || l !== line) {
      out.push({ arrival: e.time, events: [] });
      line = l;
    }
    const env = out[out.length - 1];
    env.events.push(e);
    if (e.time > env.arrival) env.arrival = e.time;
  }
  return out;
}

/** Interleaves the envelopes of several hubs in arrival order (stable per hub). */
function interleave(hubs: Envelope[][]): Envelope[] {
  const merged = hubs.flatMap((envs, hub) => envs.map((env, i) => ({ env, hub, i })));
  merged.sort((a, b) => a.env.arrival - b.env.arrival || a.hub - b.hub || a.i - b.i);
  return merged.map((m) => m.env);
}

function rulesSettings(): { placeholders: Record<string, string[]>; enrichment: Record<string, unknown> } {
  const config = parseYaml(readFileSync('entrawatch.example.yaml', 'utf8')) as {
    placeholders: Record<string, string[]>;
    rules: Record<string, unknown>;
  };
  const { paths: _paths, correlation: _correlation, overrides: _overrides, ...enrichment } = config.rules;
  return { placeholders: config.placeholders, enrichment };
}

function hhmm(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

describe('samples/manifest.json against the rules (e2e)', () => {
  const manifest = JSON.parse(readFileSync(join(SAMPLES, 'manifest.json'), 'utf8')) as Manifest;
  const files = new Map<string, DecodedFile>();
  const detections: Detection[] = [];
  /** row -> event id -> detections of that row holding it */
  const byRow = new Map<string, Map<string, Detection[]>>();
  let dayEventIds = new Set<string>();

  beforeAll(async () => {
    const paths: string[] = [];
    for (const dir of ['eventhubs', 'portal', 'graph']) {
      for (const name of readdirSync(join(SAMPLES, dir)).sort()) paths.push(join(SAMPLES, dir, name));
    }
    for (const path of paths) files.set(path, await decodeFile(path));

    const { placeholders, enrichment } = rulesSettings();
    const loaded = await loadRuleFiles(['rules'], { placeholders });
    const options = { ...enrichment, placeholders };
    const engine = await RuleEngine.create({
      rules: loaded.rules,
      correlations: loaded.correlations,
      store: new MemoryCounterStore(),
      enrichers: createEnrichers(options),
      detectionHooks: createDetectionHooks(options, { resolver: fakeResolver }),
    });

    const eventhubs = [...files.values()].filter((f) => f.path.includes(`${SAMPLES}/eventhubs/`));
    const history = eventhubs.filter((f) => /\/history-/.test(f.path));
    const day = eventhubs.filter((f) => !/\/history-/.test(f.path));
    dayEventIds = new Set(day.flatMap((f) => f.events.map((e) => e.id)));
    const order = [...history.flatMap((f) => envelopesOf(f.events)), ...interleave(day.map((f) => envelopesOf(f.events)))];
    for (const env of order) detections.push(...(await engine.processBatch(env.events)));
    detections.push(...(await engine.flush()));

    for (const d of detections) {
      for (const row of d.rule.seedRows) {
        let ids = byRow.get(row);
        if (!ids) byRow.set(row, (ids = new Map()));
        for (const id of d.evidence.eventIds) {
          const list = ids.get(id) ?? [];
          list.push(d);
          ids.set(id, list);
        }
      }
    }
  }, 600_000);

  it('decodes and normalizes every sample file without a bad record', () => {
    const bad = [...files.values()].flatMap((f) => f.bad);
    expect(bad.slice(0, 20)).toEqual([]);
    for (const f of files.values()) expect(f.events.length, `${f.path} has records`).toBeGreaterThan(0);
  });

  it('holds the day the manifest counts, and exports that are copies of it', () => {
    expect(dayEventIds.size).toBe(manifest.records);
    for (const [path, f] of files) {
      if (!path.includes('/graph/') && !/Interactive|NonInteractive/.test(path)) continue;
      // an auth-details row is a step of a sign-in: its own id is a hash, its sign-in's id is signInId
      const idOf = (e: EntraEvent) => (/AuthDetails/.test(path) ? String((e.fields.properties as { signInId?: unknown }).signInId) : e.id);
      const missing = f.events.map(idOf).filter((id) => !dayEventIds.has(id));
      expect(missing.slice(0, 5), `${path}: ids not in the Event Hubs samples`).toEqual([]);
    }
  });

  it('covers every row of the guide in the manifest', () => {
    for (const row of GUIDE_ROWS) {
      expect(manifest.scenarios.some((s) => s.row === row && s.expect === 'fire'), `${row} fire`).toBe(true);
      expect(manifest.scenarios.some((s) => s.row === row && s.expect === 'no-fire'), `${row} no-fire`).toBe(true);
    }
  });

  for (const row of GUIDE_ROWS) {
    it(`${row}: fires on its planted instances and not on its near misses`, () => {
      const hits = byRow.get(row) ?? new Map<string, Detection[]>();
      const problems: string[] = [];
      for (const s of manifest.scenarios.filter((x) => x.row === row)) {
        const found = s.eventIds.filter((id) => hits.has(id));
        if (s.expect === 'fire' && found.length === 0) {
          problems.push(`MISSED (fire): ${s.description} [${s.eventIds.length} event(s), e.g. ${s.eventIds[0]}]`);
        }
        if (s.expect === 'no-fire' && found.length > 0) {
          const rules = [...new Set(found.flatMap((id) => hits.get(id)!.map((d) => `${d.rule.name ?? d.rule.title} @${hhmm(d.time)}`)))];
          problems.push(`WRONGLY FIRED (no-fire): ${s.description} [by ${rules.join(', ')}; ${found.length} of ${s.eventIds.length} event(s)]`);
        }
      }
      expect(problems, `${row}:\n  ${problems.join('\n  ')}`).toEqual([]);
    });
  }
});

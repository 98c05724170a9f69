/**
 * `entrawatch scan samples/eventhubs` as the product runs it (runScan: inputs merged by event time, rules from the
 * example config, in-memory store) against samples/manifest.json: every planted "fire" scenario is detected and no
 * "no-fire" near-miss is, row by row. (samples-manifest.test.ts checks the same with arrival-order interleaving.)
 * DNS for the AP-8 hook is a fake resolver: `.invalid` hosts do not resolve, every other host does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runScan } from '../../src/scan/run-scan.js';
import { createRuleEngine } from '../../src/runtime/create-engine.js';
import { loadScanConfig } from '../../src/config/scan-config.js';
import { MemoryCounterStore } from '../../src/state/index.js';
import type { HostResolver } from '../../src/rules/enrich/index.js';
import type { Detection } from '../../src/rules/types.js';

const root = join(import.meta.dirname, '..', '..');

interface Scenario {
  row: string;
  expect: 'fire' | 'no-fire';
  description: string;
  eventIds: string[];
}

const notFound = (host: string) => Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
const resolver: HostResolver = {
  resolve4: async (host) => {
    if (host.endsWith('.invalid')) throw notFound(host);
    return ['192.0.2.10'];
  },
  resolve6: async (host) => {
    if (host.endsWith('.invalid')) throw notFound(host);
    return ['2001:db8::10'];
  },
};

const manifest = JSON.parse(readFileSync(join(root, 'samples', 'manifest.json'), 'utf8')) as { scenarios: Scenario[] };
const rows = [...new Set(manifest.scenarios.map((s) => s.row))];
let detections: Detection[] = [];
let records = 0;
let bad = 0;

beforeAll(async () => {
  const config = loadScanConfig(join(root, 'entrawatch.example.yaml'));
  const engine = await createRuleEngine({ rules: config.rules, placeholders: config.placeholders, store: new MemoryCounterStore(), baseDir: root, resolver });
  const result = await runScan({ inputs: [{ path: join(root, 'samples', 'eventhubs') }], engine, sinks: [] });
  detections = result.detections;
  records = result.summary.records;
  bad = result.summary.badRecords;
}, 600_000);

describe('scan samples/eventhubs against the manifest', () => {
  it('reads every record', () => {
    expect(bad).toBe(0);
    expect(records).toBeGreaterThanOrEqual(20_000);
  });

  for (const row of rows) {
    it(`row ${row}: fires on every planted instance and on no near-miss`, () => {
      const ofRow = detections.filter((d) => d.rule.seedRows.includes(row));
      const problems: string[] = [];
      for (const s of manifest.scenarios.filter((x) => x.row === row)) {
        const ids = new Set(s.eventIds);
        const hit = ofRow.filter((d) => d.evidence.eventIds.some((id) => ids.has(id)));
        if (s.expect === 'fire' && hit.length === 0) problems.push(`missed: ${s.description}`);
        if (s.expect === 'no-fire' && hit.length > 0) problems.push(`fired on a near-miss: ${s.description} (${hit.map((d) => d.rule.name).join(', ')})`);
      }
      expect(problems).toEqual([]);
    });
  }
});

/**
 * Decision 3: the rule index picks candidate rules per event and never misses one. All bundled rules run over the
 * sample day with and without the index and must give identical detections.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScan } from '../../src/scan/run-scan.js';
import { createRuleEngine } from '../../src/runtime/create-engine.js';
import { loadScanConfig } from '../../src/config/scan-config.js';
import { MemoryCounterStore } from '../../src/state/index.js';
import type { Detection } from '../../src/rules/types.js';

const root = join(import.meta.dirname, '..', '..');

async function detectionsWith(useIndex: boolean): Promise<{ detections: Detection[]; matches: number }> {
  const config = loadScanConfig(join(root, 'entrawatch.example.yaml'));
  config.rules.correlation.useIndex = useIndex;
  const engine = await createRuleEngine({ rules: config.rules, placeholders: config.placeholders, store: new MemoryCounterStore(), baseDir: root, resolveDns: false });
  const result = await runScan({ inputs: [{ path: join(root, 'samples', 'eventhubs') }], engine, sinks: [] });
  return { detections: result.detections, matches: engine.stats.matches };
}

describe('rule index over the samples', () => {
  it('gives exactly the detections of evaluating every rule on every event', async () => {
    const indexed = await detectionsWith(true);
    const full = await detectionsWith(false);
    const key = (d: Detection) => `${d.id}|${d.rule.id}|${d.evidence.eventIds.join(',')}`;
    expect(indexed.detections.length).toBeGreaterThan(50);
    expect(indexed.detections.map(key).sort()).toEqual(full.detections.map(key).sort());
    expect(indexed.matches).toBe(full.matches);
  }, 300_000);
});

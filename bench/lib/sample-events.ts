/**
 * The bundled sample day (samples/eventhubs, Azure Monitor envelopes as Event Hubs delivers them) as normalized
 * EntraEvents, enriched as the engine enriches them, in event-time order: the workload the rule benchmarks run on.
 * Decoding and normalizing happen here, outside the timed part. Only the day's files (insights-*), not the
 * learning history.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadScanConfig } from '../../src/config/scan-config.js';
import { decodeMessage } from '../../src/decode/index.js';
import type { EntraEvent } from '../../src/normalize/event.js';
import { normalizeRecord } from '../../src/normalize/index.js';
import { createEnrichers } from '../../src/rules/enrich/index.js';

export const SAMPLE_DIR = 'samples/eventhubs';

/** entrawatch.example.yaml: the placeholders and rule settings scan uses by default */
export function exampleConfig(root: string): ReturnType<typeof loadScanConfig> {
  return loadScanConfig(join(root, 'entrawatch.example.yaml'));
}

/** enrich: false leaves enrichment to the engine (engine benchmarks); true does it here (matching benchmarks) */
export function loadSampleEvents(root: string, options: { enrich: boolean } = { enrich: true }): EntraEvent[] {
  const dir = join(root, SAMPLE_DIR);
  const config = exampleConfig(root);
  const { paths: _paths, correlation: _correlation, overrides: _overrides, ...enrichment } = config.rules;
  const enrichers = createEnrichers({ ...enrichment, placeholders: config.placeholders });
  const events: EntraEvent[] = [];
  for (const file of readdirSync(dir).filter((f) => f.startsWith('insights-')).sort()) {
    const text = gunzipSync(readFileSync(join(dir, file))).toString('utf8');
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      for (const r of decodeMessage(line, { source: file })) {
        if (!r.ok) continue;
        const event = normalizeRecord(r);
        if (options.enrich) for (const enrich of enrichers) enrich(event);
        events.push(event);
      }
    }
  }
  return events.sort((a, b) => a.time - b.time);
}

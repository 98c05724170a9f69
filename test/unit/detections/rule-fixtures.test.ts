/**
 * Every rule fixture through the real loader, normalizer, enrichers and RuleEngine: fire.ndjson must give at
 * least one detection of its rule, no-fire.ndjson (the near miss) none of it.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR, runFixtureFile } from './support/run-fixture.js';

const names = readdirSync(FIXTURES_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

describe('rule fixtures', () => {
  it('exist', () => {
    expect(names.length).toBeGreaterThan(50);
  });

  for (const name of names) {
    describe(name, () => {
      it('fire.ndjson produces a detection of the rule', async () => {
        const { all, mine } = await runFixtureFile(name, 'fire.ndjson');
        expect(mine.length, `detections of other rules: ${all.map((d) => d.rule.name).join(', ')}`).toBeGreaterThan(0);
        for (const d of mine) {
          expect(d.evidence.eventIds.length).toBeGreaterThan(0);
          expect(d.rule.seedRows.length).toBeGreaterThan(0);
        }
      });
      it('no-fire.ndjson (near miss) produces none', async () => {
        const { mine } = await runFixtureFile(name, 'no-fire.ndjson');
        expect(mine.map((d) => d.evidence)).toEqual([]);
      });
    });
  }
});

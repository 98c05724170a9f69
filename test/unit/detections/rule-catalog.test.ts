/**
 * The rule catalog: every seed row of the guide has a rule, every rule has the metadata the Splunk app and the
 * coverage need, every alerting rule has fixtures, and the checked-in fixtures are what build-fixtures.ts writes.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCoverageRules, SEED_ROWS } from '../../../scripts/generate-coverage.js';
import { buildFixtures } from '../../fixtures/rules/build-fixtures.js';
import { exampleConfig, FIXTURES_DIR, loadRules, ROOT, RULES_DIR } from './support/run-fixture.js';

const rules = readCoverageRules(RULES_DIR);
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const GROUPS: Record<string, string> = { CA: 'consumer-accounts', PA: 'privileged-accounts', AP: 'applications', IN: 'infrastructure', BL: 'baseline' };

describe('rule catalog', () => {
  it('covers every seed row of the guide with at least one alerting rule', () => {
    expect(SEED_ROWS).toHaveLength(53);
    for (const [row] of SEED_ROWS) {
      const alerting = rules.filter((r) => r.meta.seedRows.includes(row) && r.emits);
      expect(alerting.map((r) => r.meta.name), row).not.toEqual([]);
    }
  });

  it('names only known seed rows, each in its group folder', () => {
    const known = new Set(SEED_ROWS.map(([id]) => id));
    for (const r of rules) {
      for (const row of r.meta.seedRows) {
        expect(known.has(row), `${r.meta.name}: ${row}`).toBe(true);
        expect(relative(RULES_DIR, r.meta.file).split('/')[0]).toBe(GROUPS[row.split('-')[0]!]);
      }
    }
  });

  it('gives every rule id (UUID v4), unique snake_case name, title, description, level, seed_rows, falsepositives', () => {
    const ids = new Set<string>();
    const names = new Set<string>();
    for (const r of rules) {
      const where = relative(ROOT, r.meta.file);
      expect(r.meta.id, where).toMatch(UUID_V4);
      expect(r.meta.name, where).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(ids.has(r.meta.id), `duplicate id ${r.meta.id}`).toBe(false);
      expect(names.has(r.meta.name!), `duplicate name ${r.meta.name}`).toBe(false);
      ids.add(r.meta.id);
      names.add(r.meta.name!);
      expect(r.meta.title.length, where).toBeGreaterThan(10);
      expect(r.meta.description?.length ?? 0, where).toBeGreaterThan(60);
      expect(['informational', 'low', 'medium', 'high', 'critical']).toContain(r.meta.level);
      expect(r.meta.seedRows.length, where).toBeGreaterThan(0);
      expect(r.meta.falsepositives.length, where).toBeGreaterThan(0);
      if (!r.correlationType) expect(r.meta.logsource.product).toBe('azure');
      if (!r.correlationType) expect(['signinlogs', 'auditlogs']).toContain(r.meta.logsource.service);
    }
  });

  it('names the deviations from the guide in the descriptions', () => {
    const description = (name: string) => rules.find((r) => r.meta.name === name)?.meta.description ?? '';
    expect(description('in5_custom_policy_updated')).toContain('Get custom policies');
    expect(description('in12_api_connector_deleted')).toContain('Update API connector');
    expect(description('pa3_privileged_mfa_failed')).toContain('53003');
    expect(description('pa11_privileged_authentication_method_change')).toContain('Create identity provider');
    expect(description('pa13_identity_provider_deleted_unapproved_actor')).toContain('access reviews');
  });

  it('has fixtures for every alerting rule, and only for rules', () => {
    const dirs = readdirSync(FIXTURES_DIR, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    for (const r of rules.filter((x) => x.emits)) {
      expect(existsSync(join(FIXTURES_DIR, r.meta.name!, 'fire.ndjson')), `${r.meta.name} fire.ndjson`).toBe(true);
      expect(existsSync(join(FIXTURES_DIR, r.meta.name!, 'no-fire.ndjson')), `${r.meta.name} no-fire.ndjson`).toBe(true);
    }
    const names = new Set(rules.map((r) => r.meta.name));
    for (const d of dirs) expect(names.has(d), `fixture dir ${d} has no rule`).toBe(true);
  });

  it('keeps base rules that only feed correlations from alerting on their own', () => {
    const base = rules.filter((r) => !r.emits);
    expect(base.length).toBeGreaterThan(5);
    for (const r of base) {
      expect(r.feeds.length).toBeGreaterThan(0);
      expect(r.meta.level).toBe('informational');
    }
  });

  it('loads and compiles with the placeholders of entrawatch.example.yaml', async () => {
    const loaded = await loadRules(exampleConfig());
    expect(loaded.rules.length + loaded.correlations.length).toBe(rules.length);
  });

  it('checks in the fixtures that build-fixtures.ts writes', () => {
    for (const [name, fx] of Object.entries(buildFixtures())) {
      const read = (f: string) => readFileSync(join(FIXTURES_DIR, name, f), 'utf8');
      expect(read('fire.ndjson'), `${name}: run npx tsx test/fixtures/rules/build-fixtures.ts`).toBe(fx.fire.map((r) => JSON.stringify(r)).join('\n') + '\n');
      expect(read('no-fire.ndjson'), name).toBe(fx.noFire.map((r) => JSON.stringify(r)).join('\n') + '\n');
      if (fx.config !== undefined) expect(read('config.yaml'), name).toBe(fx.config);
    }
  });
});

/**
 * The rule fixture runner (`entrawatch rules test`): every fixture under test/fixtures/rules passes with the
 * bundled rules, and a broken fixture is reported as failing.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readYamlFile } from '../../../../src/config/load.js';
import { placeholdersSchema } from '../../../../src/config/rules-config.js';
import { runRuleFixtures } from '../../../../src/rules/fixtures.js';

const placeholders = placeholdersSchema.parse(readYamlFile('entrawatch.example.yaml')['placeholders'] ?? {});

describe('rule fixtures', () => {
  it('every fixture of the bundled rules passes (fire fires, no-fire stays silent)', async () => {
    const results = await runRuleFixtures({ rulePaths: ['rules'], fixturesDir: 'test/fixtures/rules', placeholders });
    expect(results.length).toBeGreaterThan(0);
    const failed = results.filter((r) => !r.ok).map((r) => `${r.rule}: ${r.error ?? `fire ${r.fire?.detections.length}, no-fire ${r.noFire?.detections.length}`}`);
    expect(failed).toEqual([]);
  }, 120_000);

  it('reports a fixture whose fire file does not fire, and one named after no rule', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ew-fixtures-'));
    const rules = join(dir, 'rules.yml');
    writeFileSync(rules, `title: Lockout\nid: 00000000-0000-4000-8000-000000000099\nname: lockout\nlogsource: {product: azure, service: signinlogs}\ndetection:\n  sel: {ResultType: 50053}\n  condition: sel\n`);
    const record = (code: number) =>
      JSON.stringify({ time: '2024-05-06T10:00:00Z', category: 'SignInLogs', operationName: 'Sign-in activity', resultType: String(code), properties: { id: `id-${code}`, userPrincipalName: 'a@x', status: { errorCode: code } } });
    mkdirSync(join(dir, 'fx', 'lockout'), { recursive: true });
    writeFileSync(join(dir, 'fx', 'lockout', 'fire.ndjson'), `${record(50126)}\n`);
    writeFileSync(join(dir, 'fx', 'lockout', 'no-fire.ndjson'), `${record(0)}\n`);
    mkdirSync(join(dir, 'fx', 'unknown_rule'));
    writeFileSync(join(dir, 'fx', 'unknown_rule', 'fire.ndjson'), `${record(50053)}\n`);
    const results = await runRuleFixtures({ rulePaths: [rules], fixturesDir: join(dir, 'fx') });
    expect(results.map((r) => [r.rule, r.ok, r.fire?.ok, r.noFire?.ok])).toEqual([
      ['lockout', false, false, true],
      ['unknown_rule', false, false, undefined],
    ]);
    expect(results[1]!.error).toMatch(/no loaded rule is named "unknown_rule"/);
  });
});

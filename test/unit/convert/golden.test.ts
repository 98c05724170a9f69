/**
 * Golden SPL for representative rules (test/fixtures/convert/*.yml -> expected/<rule name>.spl): plain equality
 * and null, contains / startswith / regex / cidr / literal star, placeholders as lookups and inline expansion,
 * event_count, value_count, temporal_ordered, rate_change, baseline. Regenerate with UPDATE_GOLDEN=1 after a
 * deliberate change and review the diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertRulesToSpl, withFilterMacro } from '../../../src/rules/convert/spl/index.js';
import { loadAppSources } from '../../../src/splunk/settings.js';

const DIR = 'test/fixtures/convert';
const EXPECTED = join(DIR, 'expected');

describe('golden SPL', async () => {
  const src = await loadAppSources(join(DIR, 'config.yaml'));
  const conversion = convertRulesToSpl({ rules: src.rules.rules, correlations: src.rules.correlations, placeholders: src.placeholders });

  it('converts every fixture rule', () => {
    expect(conversion.errors).toEqual([]);
    expect(conversion.detections.map((d) => d.meta.name).sort()).toEqual(
      ['failures_baseline', 'failures_increase', 'many_accounts', 'many_failures', 'modifiers', 'new_account_role', 'placeholder_lookup', 'plain_failure'].sort(),
    );
  });

  for (const d of conversion.detections) {
    it(`${d.meta.name} (${d.type})`, () => {
      const file = join(EXPECTED, `${d.meta.name}.spl`);
      const spl = `${withFilterMacro(d)}\n`;
      if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(file)) {
        mkdirSync(EXPECTED, { recursive: true });
        writeFileSync(file, spl);
      }
      expect(spl).toBe(readFileSync(file, 'utf8'));
    });
  }

  it('base rules of a correlation do not get a search of their own', () => {
    const names = conversion.detections.map((d) => d.meta.name);
    expect(names).not.toContain('failed_signin');
    expect(names).not.toContain('account_created');
  });

  it('windows: correlation dispatch ranges cover the data they need', () => {
    const by = Object.fromEntries(conversion.detections.map((d) => [d.meta.name, d]));
    expect(by['many_failures']!.dispatchEarliest).toBe('-75m@h');
    expect(by['failures_increase']!.dispatchEarliest).toBe('-435m@h'); // 7 buckets of 1h + 15m delay
    expect(by['failures_baseline']!.dispatchEarliest).toBe(`-${14 * 24 * 60 + 60 + 15}m@h`);
    expect(by['many_failures']!.groupFields).toEqual(['properties.userPrincipalName']);
    expect(by['new_account_role']!.groupFields).toEqual(['targetResources_userPrincipalName']);
  });
});

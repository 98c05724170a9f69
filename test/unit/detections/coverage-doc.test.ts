/**
 * docs/coverage.md is generated from rules/ by scripts/generate-coverage.ts: regenerate it in memory and compare.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderCoverage } from '../../../scripts/generate-coverage.js';
import { savedSearchName } from '../../../src/splunk/names.js';
import { FIXTURES_DIR, ROOT, RULES_DIR } from './support/run-fixture.js';

describe('docs/coverage.md', () => {
  const fresh = renderCoverage(RULES_DIR, FIXTURES_DIR, ROOT);

  it('is up to date with rules/ (run npx tsx scripts/generate-coverage.ts)', () => {
    expect(readFileSync(join(ROOT, 'docs/coverage.md'), 'utf8')).toBe(fresh);
  });

  it('covers all 53 rows, names saved searches and links fixtures', () => {
    expect(fresh).toContain('Rows covered: **53 / 53**');
    expect(fresh).not.toContain('**missing**');
    expect(fresh).toContain(`| ${savedSearchName({ title: 'Privileged Account Locked Out' })} |`);
    expect(fresh).toContain('[pa4_privileged_account_lockout](../test/fixtures/rules/pa4_privileged_account_lockout/)');
  });
});

describe('savedSearchName', () => {
  it('follows "entrawatch - <title> - Rule"', () => {
    expect(savedSearchName({ title: ' Smart Lockout Of A VIP B2C Account ' })).toBe('entrawatch - Smart Lockout Of A VIP B2C Account - Rule');
  });
});

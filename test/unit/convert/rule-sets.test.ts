/**
 * Every rule in rules/ and every SigmaHQ-style Azure fixture converts to SPL; a rule for another product is
 * reported as not convertible instead of producing a search over the wrong data.
 */
import { describe, expect, it } from 'vitest';
import { loadRuleFiles } from '../../../src/rules/load.js';
import { convertRulesToSpl, withFilterMacro } from '../../../src/rules/convert/spl/index.js';
import { loadAppSources } from '../../../src/splunk/settings.js';

describe('rule sets', () => {
  it('every rule of rules/ converts, each search starts from the base macro', async () => {
    const src = await loadAppSources('entrawatch.example.yaml');
    const c = convertRulesToSpl({ rules: src.rules.rules, correlations: src.rules.correlations, placeholders: src.placeholders, overrides: src.rulesConfig.overrides });
    expect(c.errors).toEqual([]);
    expect(c.detections.length).toBeGreaterThan(40);
    for (const d of c.detections) {
      expect(d.spl).toMatch(/^(`entrawatch_aad`|\| multisearch \[search `entrawatch_aad`)/);
      expect(withFilterMacro(d)).not.toMatch(/[\r\n]/);
    }
  });

  it('SigmaHQ-style Azure rules convert; a Windows rule does not', async () => {
    const azure = await loadRuleFiles(['test/fixtures/sigma/sigmahq-style'], { placeholders: {} });
    const a = convertRulesToSpl({ rules: azure.rules, correlations: azure.correlations, placeholders: {} });
    expect(a.errors).toEqual([]);
    expect(a.detections.length).toBe(azure.rules.length);
    const other = await loadRuleFiles(['test/fixtures/sigma/other'], { placeholders: {} });
    const o = convertRulesToSpl({ rules: other.rules, correlations: other.correlations, placeholders: {} });
    expect(o.detections).toEqual([]);
    expect(o.errors[0]?.message).toMatch(/not Entra/);
  });
});

/** Builds one compiled rule from a detection snippet (YAML, indented under `detection:`). */
import { parseRuleText } from '../../../../src/rules/load.js';
import type { CompiledRule } from '../../../../src/rules/sigma/compile.js';

export function ruleFrom(
  detection: string,
  opts: { placeholders?: Record<string, string[]>; logsource?: string; title?: string } = {},
): CompiledRule {
  const text = [
    `title: ${opts.title ?? 'test rule'}`,
    'id: 6f1f6d54-0000-4000-8000-000000000001',
    `logsource: ${opts.logsource ?? '{product: azure}'}`,
    'detection:',
    ...detection
      .replace(/^\n+/, '')
      .trimEnd()
      .split('\n')
      .map((l) => `  ${l}`),
    'level: medium',
  ].join('\n');
  const loaded = parseRuleText(text, 'test.yml', { placeholders: opts.placeholders ?? {} });
  return loaded.rules[0];
}

/** Shared helpers of the SPL converter tests: convert rule text or fixture files with given placeholders. */
import { parseRuleText } from '../../../src/rules/load.js';
import { convertRulesToSpl, withFilterMacro, type SplConversion } from '../../../src/rules/convert/spl/index.js';

export function convertText(text: string, placeholders: Record<string, string[]> = {}): SplConversion {
  const loaded = parseRuleText(text, 'inline.yml', { placeholders });
  return convertRulesToSpl({ rules: loaded.rules, correlations: loaded.correlations, placeholders });
}

/** The SPL (with filter macro) of the only detection of a rule text. */
export function splOf(text: string, placeholders: Record<string, string[]> = {}): string {
  const c = convertText(text, placeholders);
  if (c.errors.length > 0) throw new Error(c.errors.map((e) => e.message).join('; '));
  if (c.detections.length !== 1) throw new Error(`expected one detection, got ${c.detections.length}`);
  return withFilterMacro(c.detections[0]!);
}

/** A one-selection sign-in rule on `field|mods` with the given values. */
export function ruleWith(field: string, values: unknown[]): string {
  return [
    'title: T',
    'id: 00000000-0000-4000-8000-0000000000aa',
    'name: t',
    'logsource: {product: azure, service: signinlogs}',
    'detection:',
    '  selection:',
    `    ${JSON.stringify(field)}: ${JSON.stringify(values)}`,
    '  condition: selection',
  ].join('\n');
}

/**
 * The skeleton of an SPL text: every double-quoted string replaced by "S" and every single-quoted field name by
 * 'F' (escapes honoured). Two searches that differ only in their values have the same skeleton; a value that
 * broke out of its string changes it.
 */
export function splSkeleton(spl: string): string {
  let out = '';
  for (let i = 0; i < spl.length; i++) {
    const ch = spl[i]!;
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < spl.length && spl[j] !== ch) j += spl[j] === '\\' ? 2 : 1;
      if (j >= spl.length) return `${out}<UNTERMINATED>`;
      out += ch === '"' ? '"S"' : "'F'";
      i = j;
    } else {
      out += ch;
    }
  }
  return out;
}

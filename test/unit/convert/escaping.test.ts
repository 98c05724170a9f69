/**
 * Hostile values cannot leave their string: quotes, backslashes, pipes, brackets (subsearches), backticks (macros),
 * newlines and other control characters, `$tokens$`. Checked on the SPL skeleton (strings blanked out): it keeps
 * the same commands, no unterminated string, no extra backtick, no bracket, and the quoted strings decode back to
 * the values.
 */
import { describe, expect, it } from 'vitest';
import { regexEscapeText, sanitizeUserRegex, splString } from '../../../src/rules/convert/spl/escape.js';
import { ruleWith, splOf, splSkeleton } from './helpers.js';

const HOSTILE = [
  'a"b',
  'trailing\\',
  'x" | delete',
  'x\\" | delete | search "',
  ']| delete [',
  '[search index=_internal | head 1]',
  '`evil_macro`',
  'a`b',
  'line1\nline2 | delete',
  'cr\rtab\tnul\u0000',
  '$token$',
  "it's",
  'emoji ☃ – dash',
  'a*b',
  'q?q',
];

const COMMANDS = /^(`entrawatch_aad`|search|where|regex|lookup|eval|`entrawatch_t_filter`)/;

function decodeStrings(spl: string): string[] {
  const out: string[] = [];
  for (const m of spl.matchAll(/"((?:[^"\\]|\\.)*)"/g)) out.push(m[1]!.replace(/\\(.)/g, '$1'));
  return out;
}

function assertContained(spl: string): void {
  expect(spl).not.toMatch(/[\u0000-\u001f\u007f]/);
  const skeleton = splSkeleton(spl);
  expect(skeleton).not.toContain('<UNTERMINATED>');
  expect(skeleton).not.toMatch(/[[\]$]/);
  expect(skeleton.match(/`/g)?.length).toBe(4); // the base macro and the filter macro
  for (const command of skeleton.split('|').map((c) => c.trim())) expect(command).toMatch(COMMANDS);
}

describe('hostile values', () => {
  for (const value of HOSTILE) {
    it(`equality ${JSON.stringify(value)}`, () => {
      const spl = splOf(ruleWith('properties.userPrincipalName', [value, 'benign']));
      assertContained(spl);
      if (!/[`\u0000-\u001f*?]/.test(value)) expect(decodeStrings(spl)).toContain(value);
    });
    it(`contains ${JSON.stringify(value)}`, () => {
      assertContained(splOf(ruleWith('properties.userPrincipalName|contains', [value])));
    });
    it(`negated startswith ${JSON.stringify(value)}`, () => {
      const rule = ruleWith('properties.userPrincipalName|startswith', [value]).replace('condition: selection', 'condition: not selection');
      assertContained(splOf(rule));
    });
    it(`regex ${JSON.stringify(value)}`, () => {
      // (a regex ending in a lone backslash is refused by the loader)
      assertContained(splOf(ruleWith('properties.userPrincipalName|re', [`${value.replace(/[*?[\]()]/g, '.')}x`])));
    });
    it(`keyword ${JSON.stringify(value)}`, () => {
      const rule = ruleWith('x', [value]).replace(/ {4}"x": (.*)/, '    - $1').replace('  selection:\n    - ', '  selection:\n    - ');
      const text = rule.replace(/ {4}- \[(.*)\]/, (_m, v: string) => `    - ${v}`);
      assertContained(splOf(text));
    });
    it(`placeholder value ${JSON.stringify(value)} (inline expansion)`, () => {
      assertContained(splOf(ruleWith('properties.userPrincipalName|expand|startswith', ['%list%']), { list: [value] }));
    });
  }

  it('a hostile field name is refused or quoted, never injected', () => {
    for (const field of ['a b', "a'b", 'a]b', 'a"b', 'a[search x]']) {
      const spl = splOf(ruleWith(`properties.${field}`, ['v']));
      assertContained(spl);
    }
    expect(() => splOf(ruleWith('properties.a`b', ['v']))).toThrow(/backtick/);
  });
});

describe('escape primitives', () => {
  it('splString escapes backslash and quote, refuses backticks and control characters', () => {
    expect(splString('a\\"b')).toBe('"a\\\\\\"b"');
    expect(() => splString('a`b')).toThrow();
    expect(() => splString('a\nb')).toThrow();
  });
  it('regex text: metacharacters escaped, quotes and unsafe characters as \\x{hh}', () => {
    expect(regexEscapeText('a.b*"`\n')).toBe('a\\.b\\*\\x{22}\\x{60}\\x{a}');
  });
  it('user regex: backticks and control characters become \\x{hh}, escaped or not', () => {
    expect(sanitizeUserRegex('a`b\\`c\\d')).toBe('a\\x{60}b\\x{60}c\\d');
  });
});

describe('record paths', () => {
  it('use the record spelling and {} for arrays', async () => {
    const { splunkRecordPath } = await import('../../../src/rules/convert/spl/fields.js');
    expect(splunkRecordPath('properties.targetresources.modifiedproperties.NEWVALUE')).toBe('properties.targetResources{}.modifiedProperties{}.newValue');
    expect(splunkRecordPath('properties.additionalDetails.value')).toBe('properties.additionalDetails{}.value');
    expect(splunkRecordPath('properties.status.additionalDetails')).toBe('properties.status.additionalDetails');
    expect(splunkRecordPath('resultdescription')).toBe('resultDescription');
  });
});

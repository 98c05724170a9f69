import { describe, expect, it } from 'vitest';
import { requiredRegexLiteral } from '../../../../src/rules/index/regex-literal.js';

describe('requiredRegexLiteral (rule index)', () => {
  it('finds the longest literal every match contains', () => {
    expect(requiredRegexLiteral('^admin[0-9]+@')).toBe('admin');
    expect(requiredRegexLiteral('(a|b)xyz')).toBe('xyz');
    expect(requiredRegexLiteral('x\\.y\\dz')).toBe('x.y');
    expect(requiredRegexLiteral('abc+d')).toBe('abc');
    expect(requiredRegexLiteral('a(b)?cde')).toBe('cde');
  });

  it('leaves out optional characters and gives up on top-level alternation or non-ASCII', () => {
    expect(requiredRegexLiteral('colou?r')).toBe('colo');
    expect(requiredRegexLiteral('ab{2}cd')).toBe('cd');
    expect(requiredRegexLiteral('ab?cd')).toBe('cd');
    expect(requiredRegexLiteral('abc|def')).toBeUndefined();
    expect(requiredRegexLiteral('[a-z]+')).toBeUndefined();
    expect(requiredRegexLiteral('éé')).toBeUndefined();
  });

  it('every string the regex matches contains the literal (lowercase)', () => {
    const cases: Array<[string, string[]]> = [
      ['^admin[0-9]+@', ['admin1@x', 'admin99@']],
      ['colou?r', ['color', 'colour']],
      ['a(b)?cde', ['acde', 'abcde']],
      ['abc+d', ['abcd', 'abcccd']],
    ];
    for (const [src, samples] of cases) {
      const lit = requiredRegexLiteral(src)!.toLowerCase();
      const re = new RegExp(src, 'i');
      for (const s of samples) {
        expect(re.test(s)).toBe(true);
        expect(s.toLowerCase().includes(lit)).toBe(true);
      }
    }
  });
});

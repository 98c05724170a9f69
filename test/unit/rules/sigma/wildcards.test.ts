import { describe, expect, it } from 'vitest';
import { ONE, parseSigmaString, STAR, formatSigmaString } from '../../../../src/rules/sigma/sigma-string.js';
import { ruleFrom } from './helpers.js';
import { signinEvent } from './events.js';

const ua = (userAgent: string) => signinEvent({ userAgent });
const matches = (value: string, field: string) =>
  ruleFrom(`
sel:
  userAgent: '${value.replace(/'/g, "''")}'
condition: sel`).match(ua(field));

describe('Sigma string escaping (specification, section Escaping)', () => {
  it('parses wildcards and escapes', () => {
    expect(parseSigmaString('a*b?c')).toEqual(['a', STAR, 'b', ONE, 'c']);
    expect(parseSigmaString('a\\*b')).toEqual(['a*b']);
    expect(parseSigmaString('a\\?b')).toEqual(['a?b']);
    expect(parseSigmaString('a\\\\*')).toEqual(['a\\', STAR]);
    expect(parseSigmaString('a\\\\\\*')).toEqual(['a\\*']);
    expect(parseSigmaString('C:\\Windows\\x')).toEqual(['C:\\Windows\\x']);
    expect(parseSigmaString('a\\\\b')).toEqual(['a\\b']);
    expect(parseSigmaString('a\\\\\\\\b')).toEqual(['a\\\\b']);
    expect(parseSigmaString('a\\\\\\b')).toEqual(['a\\\\b']); // three backslashes = two
    expect(parseSigmaString('trailing\\')).toEqual(['trailing\\']);
    expect(parseSigmaString('**x')).toEqual([STAR, 'x']);
  });

  it('formats back to the same meaning', () => {
    for (const s of ['a*b?c', 'a\\*b', 'a\\\\*', 'a\\\\\\*', 'C:\\Windows\\x', 'x\\']) {
      expect(parseSigmaString(formatSigmaString(parseSigmaString(s)))).toEqual(parseSigmaString(s));
    }
  });

  it('* matches any run, ? exactly one character', () => {
    expect(matches('curl/*', 'curl/8.4.0')).toBe(true);
    expect(matches('curl/*', 'curl/')).toBe(true);
    expect(matches('curl/*', 'xcurl/8')).toBe(false);
    expect(matches('a*c*e', 'abcde')).toBe(true);
    expect(matches('a*c*e', 'abcdef')).toBe(false);
    expect(matches('ab?d', 'abcd')).toBe(true);
    expect(matches('ab?d', 'abd')).toBe(false);
    expect(matches('ab?d', 'abccd')).toBe(false);
    expect(matches('*', '')).toBe(true);
    expect(matches('*x*', 'line1\nxline2')).toBe(true);
    expect(matches('a?b', 'a\nb')).toBe(true);
  });

  it('escaped wildcards are plain characters', () => {
    expect(matches('what\\?', 'what?')).toBe(true);
    expect(matches('what\\?', 'whatX')).toBe(false);
    expect(matches('5\\*3', '5*3')).toBe(true);
    expect(matches('5\\*3', '5 times 3')).toBe(false);
  });

  it('backslash before a wildcard: \\\\* is a backslash then any run; \\\\\\* a backslash then a star', () => {
    expect(matches('C:\\\\*', 'C:\\Windows')).toBe(true);
    expect(matches('C:\\\\*', 'C:Windows')).toBe(false);
    expect(matches('C:\\\\\\*', 'C:\\*')).toBe(true);
    expect(matches('C:\\\\\\*', 'C:\\Windows')).toBe(false);
  });

  it('a single backslash before another character stays', () => {
    expect(matches('C:\\Windows\\System32', 'c:\\windows\\system32')).toBe(true);
    expect(matches('C:\\\\Windows', 'C:\\Windows')).toBe(true);
  });

  it('regex metacharacters in values are plain text', () => {
    expect(matches('a.b*(c)[d]+$^|', 'a.bXX(c)[d]+$^|')).toBe(true);
    expect(matches('a.b*', 'aXb')).toBe(false);
  });

  it('contains keeps inner wildcards', () => {
    const r = ruleFrom(`
sel:
  userAgent|contains: 'py*req'
condition: sel`);
    expect(r.match(ua('x python-requests y'))).toBe(true);
    expect(r.match(ua('x requests python y'))).toBe(false);
  });
});

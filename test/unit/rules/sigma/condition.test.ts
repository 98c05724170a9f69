import { describe, expect, it } from 'vitest';
import { parseCondition, parseConditions, selectionsOfPattern } from '../../../../src/rules/sigma/condition.js';
import { ruleFrom } from './helpers.js';
import { signinEvent } from './events.js';

describe('condition parser', () => {
  it('precedence: or < and < not', () => {
    expect(parseCondition('a or b and not c')).toEqual({
      op: 'or',
      args: [{ op: 'ref', name: 'a' }, { op: 'and', args: [{ op: 'ref', name: 'b' }, { op: 'not', arg: { op: 'ref', name: 'c' } }] }],
    });
    expect(parseCondition('not a and b')).toEqual({ op: 'and', args: [{ op: 'not', arg: { op: 'ref', name: 'a' } }, { op: 'ref', name: 'b' }] });
    expect(parseCondition('(a or b) and c')).toEqual({
      op: 'and',
      args: [{ op: 'or', args: [{ op: 'ref', name: 'a' }, { op: 'ref', name: 'b' }] }, { op: 'ref', name: 'c' }],
    });
  });

  it('x of binds tighter than not; any of = 1 of', () => {
    expect(parseCondition('not 1 of filter_*')).toEqual({ op: 'not', arg: { op: 'of', quantifier: 1, pattern: 'filter_*' } });
    expect(parseCondition('any of them')).toEqual({ op: 'of', quantifier: 1, pattern: 'them' });
    expect(parseCondition('all of sel* and not 1 of filter*')).toEqual({
      op: 'and',
      args: [{ op: 'of', quantifier: 'all', pattern: 'sel*' }, { op: 'not', arg: { op: 'of', quantifier: 1, pattern: 'filter*' } }],
    });
  });

  it('a list of conditions is ORed', () => {
    expect(parseConditions(['a', 'b and c'])).toEqual({
      op: 'or',
      args: [{ op: 'ref', name: 'a' }, { op: 'and', args: [{ op: 'ref', name: 'b' }, { op: 'ref', name: 'c' }] }],
    });
  });

  it('them excludes names starting with _; patterns use *', () => {
    expect(selectionsOfPattern('them', ['sel', '_helper', 'filter'])).toEqual(['sel', 'filter']);
    expect(selectionsOfPattern('sel_*', ['sel_a', 'sel_b', 'selx', 'filter'])).toEqual(['sel_a', 'sel_b']);
  });

  it('rejects bad conditions with a reason', () => {
    expect(() => parseCondition('a and')).toThrow(/ends too early/);
    expect(() => parseCondition('(a or b')).toThrow(/expected "\)"/);
    expect(() => parseCondition('a b')).toThrow(/unexpected "b"/);
    expect(() => parseCondition('sel | count() > 5')).toThrow(/correlation rule/);
    expect(() => parseCondition('0 of them')).toThrow(/quantifier/);
    expect(() => parseCondition('')).toThrow(/empty/);
  });
});

describe('condition evaluation', () => {
  const detection = `
a:
  ResultType: 50126
b:
  Username: bob@contoso.com
c:
  ClientApp: Browser
_private:
  Location: FR
`;
  const ev = (code: number, user: string, app: string, country = 'US') =>
    signinEvent({ errorCode: code, user, clientAppUsed: app, country });

  it('a or b and not c', () => {
    const r = ruleFrom(`${detection}condition: a or b and not c`);
    expect(r.match(ev(50126, 'x', 'Browser'))).toBe(true); // a
    expect(r.match(ev(0, 'bob@contoso.com', 'IMAP'))).toBe(true); // b and not c
    expect(r.match(ev(0, 'bob@contoso.com', 'Browser'))).toBe(false);
  });

  it('(a or b) and not c', () => {
    const r = ruleFrom(`${detection}condition: (a or b) and not c`);
    expect(r.match(ev(50126, 'x', 'Browser'))).toBe(false);
    expect(r.match(ev(50126, 'x', 'IMAP'))).toBe(true);
  });

  it('1 of them / all of them ignore _private; 2 of them counts', () => {
    const one = ruleFrom(`${detection}condition: 1 of them`);
    const all = ruleFrom(`${detection}condition: all of them`);
    const two = ruleFrom(`${detection}condition: 2 of them`);
    expect(one.match(ev(0, 'x', 'IMAP', 'FR'))).toBe(false); // only _private holds
    expect(one.match(ev(50126, 'x', 'IMAP'))).toBe(true);
    expect(all.match(ev(50126, 'bob@contoso.com', 'Browser', 'US'))).toBe(true); // _private (FR) not needed
    expect(all.match(ev(50126, 'bob@contoso.com', 'IMAP'))).toBe(false);
    expect(two.match(ev(50126, 'bob@contoso.com', 'IMAP'))).toBe(true);
    expect(two.match(ev(50126, 'x', 'IMAP'))).toBe(false);
  });

  it('1 of a* / all of pattern', () => {
    const r = ruleFrom(`
sel_lock:
  ResultType: 50053
sel_disabled:
  ResultType: 50057
filter_app:
  ClientApp: Browser
condition: 1 of sel_* and not 1 of filter_*`);
    expect(r.match(ev(50053, 'x', 'IMAP'))).toBe(true);
    expect(r.match(ev(50057, 'x', 'IMAP'))).toBe(true);
    expect(r.match(ev(50057, 'x', 'Browser'))).toBe(false);
    expect(r.match(ev(0, 'x', 'IMAP'))).toBe(false);
  });

  it('a list of conditions is ORed when matching', () => {
    const r = ruleFrom(`${detection}condition:
  - a and c
  - b`);
    expect(r.match(ev(50126, 'x', 'Browser'))).toBe(true);
    expect(r.match(ev(0, 'bob@contoso.com', 'IMAP'))).toBe(true);
    expect(r.match(ev(50126, 'x', 'IMAP'))).toBe(false);
  });
});

/**
 * Compiles one `field|modifiers: values` entry (or a keyword list) into a test over an EntraEvent, once.
 * Values are ORed, or ANDed with `all`; a leaf matches when any value of the field (arrays flattened) matches.
 * Semantics worth knowing:
 * - `null`: the field is absent or one of its values is null; `''`: a value is the empty string.
 * - numbers and booleans match as text: rule 50126 matches 50126 and "50126".
 * - `neq`: the field equals none of the values (so an absent field matches).
 * - encodings (base64, base64offset, utf16*) match case-sensitively: the encoded text is case-significant.
 * - keywords: the value is searched (contains) in every value of the record (`event.fields`).
 */
import type { EntraEvent } from '../../normalize/event.js';
import { compileFieldAccessor, type CompiledFieldAccessor, type LeafVisitor } from '../fields/index.js';
import { someLeaf } from '../fields/path.js';
import type { SigmaFieldMatch, SigmaValue } from './ast.js';
import { CidrError, compileCidr } from './cidr.js';
import { applyEncoding, asSigmaString, TransformError, windash, type TransformValue } from './encodings.js';
import { checkModifiers, COMPARE_MODIFIERS, ENCODING_MODIFIERS, ModifierError } from './modifiers.js';
import { lowerCached } from './lowercase.js';
import { expandPlaceholders, PlaceholderError } from './placeholders.js';
import { concatSigmaStrings, hasWildcards, parseSigmaString, plainSigmaString, plainText, STAR, type SigmaString } from './sigma-string.js';
import { compileStringTest, leafText, type StringTest } from './string-match.js';
import { TIME_PARTS, timePart, type TimePart } from './time-parts.js';

export type EventTest = (event: EntraEvent) => boolean;

/** A rule value or modifier that cannot be compiled; the loader adds file, rule and line. */
export class MatchCompileError extends Error {}

export interface MatchCompileOptions {
  placeholders: Record<string, string[]>;
}

const anyValue: LeafVisitor = () => true;
const isNull: LeafVisitor = (v) => v === null;

function describe(m: SigmaFieldMatch): string {
  return m.field === null ? `keywords${m.modifiers.map((x) => `|${x}`).join('')}` : [m.field, ...m.modifiers].join('|');
}

/** Sigma strings a string value stands for, after expand, windash, encodings and position modifiers (in order). */
function stringAlternatives(
  raw: string,
  fromNumber: boolean,
  mods: readonly string[],
  options: MatchCompileOptions,
): SigmaString[] {
  let values: TransformValue[] = (
    mods.includes('expand')
      ? expandPlaceholders(raw, options.placeholders)
      : [fromNumber ? plainSigmaString(raw) : parseSigmaString(raw)]
  ).map((s) => ({ kind: 'string', s }));
  for (const mod of mods) {
    if (mod === 'windash') {
      values = values.flatMap((v) => (v.kind === 'string' ? windash(v.s).map((s): TransformValue => ({ kind: 'string', s })) : [v]));
    } else if ((ENCODING_MODIFIERS as readonly string[]).includes(mod)) {
      values = values.flatMap((v) => applyEncoding(mod, v));
    } else if (mod === 'contains' || mod === 'startswith' || mod === 'endswith') {
      values = values.map((v) => {
        const s = asSigmaString(v);
        const pre = mod === 'contains' || mod === 'endswith' ? [STAR] : [];
        const post = mod === 'contains' || mod === 'startswith' ? [STAR] : [];
        return { kind: 'string', s: concatSigmaStrings(pre as SigmaString, s, post as SigmaString) };
      });
    }
  }
  return values.map(asSigmaString);
}

function compileRegex(source: string, mods: readonly string[]): RegExp {
  let flags = '';
  let pattern = source;
  // PCRE inline flags at the start, e.g. (?i) or (?is): JavaScript has no inline flags
  const inline = /^\(\?([imsx]+)\)/.exec(pattern);
  if (inline) {
    if (inline[1].includes('x')) throw new MatchCompileError(`regular expression /${source}/: the x flag is not supported`);
    pattern = pattern.slice(inline[0].length);
    for (const f of inline[1]) if (!flags.includes(f)) flags += f;
  }
  pattern = pattern.replace(/\(\?P</g, '(?<');
  for (const f of ['i', 'm', 's']) if (mods.includes(f) && !flags.includes(f)) flags += f;
  try {
    return new RegExp(pattern, flags);
  } catch (err) {
    throw new MatchCompileError(`bad regular expression /${source}/: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function compareTest(op: string | undefined, target: number): (n: number) => boolean {
  switch (op) {
    case 'lt':
      return (n) => n < target;
    case 'lte':
      return (n) => n <= target;
    case 'gt':
      return (n) => n > target;
    case 'gte':
      return (n) => n >= target;
    default:
      return (n) => n === target;
  }
}

/** A leaf test (per value of the field) for one rule value; undefined for null (handled at event level). */
function leafTestFor(value: Exclude<SigmaValue, null>, m: SigmaFieldMatch, options: MatchCompileOptions): LeafVisitor {
  const mods = m.modifiers;
  const has = (x: string) => mods.includes(x);
  const compareOp = mods.find((x) => (COMPARE_MODIFIERS as readonly string[]).includes(x));
  const part = mods.find((x) => (TIME_PARTS as readonly string[]).includes(x)) as TimePart | undefined;
  if (part || compareOp) {
    const n = toNumber(value);
    if (n === undefined) throw new MatchCompileError(`${describe(m)}: "${String(value)}" is not a number`);
    const cmp = compareTest(compareOp, n);
    if (part) {
      return (v) => {
        const p = timePart(part, v);
        return p !== undefined && cmp(p);
      };
    }
    return (v) => {
      const x = toNumber(v);
      return x !== undefined && cmp(x);
    };
  }
  if (has('re')) {
    const re = compileRegex(String(value), mods);
    return (v) => {
      const t = leafText(v);
      return t !== undefined && re.test(t);
    };
  }
  if (has('cidr')) {
    if (typeof value !== 'string') throw new MatchCompileError(`${describe(m)}: "${String(value)}" is not a CIDR network`);
    let test;
    try {
      test = compileCidr(value);
    } catch (err) {
      if (err instanceof CidrError) throw new MatchCompileError(`${describe(m)}: ${err.message}`);
      throw err;
    }
    return (v) => typeof v === 'string' && test(v);
  }
  const cased = has('cased') || mods.some((x) => x.startsWith('base64') || x.startsWith('utf16') || x === 'wide');
  const alternatives = stringAlternatives(String(value), typeof value !== 'string', mods, options);
  const tests = alternatives.map((s) => compileStringTest(s, cased));
  return stringLeafTest(tests);
}

function stringLeafTest(tests: StringTest[]): LeafVisitor {
  if (tests.length === 0) return () => false;
  if (tests.length === 1) {
    const t0 = tests[0];
    return (v) => {
      const t = leafText(v);
      return t !== undefined && t0(t);
    };
  }
  return (v) => {
    const t = leafText(v);
    if (t === undefined) return false;
    for (let i = 0; i < tests.length; i++) if (tests[i](t)) return true;
    return false;
  };
}

/** OR of plain (wildcard-free) case-insensitive equalities: one Set lookup per leaf. */
function plainEqualitySet(values: readonly SigmaValue[], mods: readonly string[]): LeafVisitor | undefined {
  if (mods.some((x) => x !== 'cased') || values.length < 3) return undefined;
  const cased = mods.includes('cased');
  const set = new Set<string>();
  for (const v of values) {
    if (v === null) return undefined;
    if (typeof v === 'string') {
      const s = parseSigmaString(v);
      if (hasWildcards(s)) return undefined;
      set.add(cased ? plainText(s) : plainText(s).toLowerCase());
    } else {
      set.add(String(v).toLowerCase());
    }
  }
  return (v) => {
    const t = leafText(v);
    return t !== undefined && set.has(cased ? t : lowerCached(t));
  };
}

function compileFieldRef(m: SigmaFieldMatch, accessor: CompiledFieldAccessor): EventTest[] {
  const cased = m.modifiers.includes('cased');
  const mode = m.modifiers.find((x) => x === 'contains' || x === 'startswith' || x === 'endswith');
  return m.values.map((value) => {
    if (typeof value !== 'string' || value === '') throw new MatchCompileError(`${describe(m)}: fieldref takes a field name`);
    const other = compileFieldAccessor(value);
    const compare = (a: string, b: string): boolean => {
      const x = cased ? a : a.toLowerCase();
      const y = cased ? b : b.toLowerCase();
      return mode === 'contains' ? x.includes(y) : mode === 'startswith' ? x.startsWith(y) : mode === 'endswith' ? x.endsWith(y) : x === y;
    };
    return (event: EntraEvent) =>
      accessor.some(event, (v) => {
        const a = leafText(v);
        if (a === undefined) return false;
        return other.some(event, (o) => {
          const b = leafText(o);
          return b !== undefined && compare(a, b);
        });
      });
  });
}

function combine(tests: EventTest[], and: boolean): EventTest {
  if (tests.length === 1) return tests[0];
  return and
    ? (e) => {
        for (let i = 0; i < tests.length; i++) if (!tests[i](e)) return false;
        return true;
      }
    : (e) => {
        for (let i = 0; i < tests.length; i++) if (tests[i](e)) return true;
        return false;
      };
}

/** Compiles a field match (field !== null) or a keyword entry (field === null) into an event test. */
export function compileFieldMatch(m: SigmaFieldMatch, options: MatchCompileOptions): EventTest {
  const mods = m.modifiers;
  try {
    checkModifiers(mods, m.field === null);
  } catch (err) {
    if (err instanceof ModifierError) throw new MatchCompileError(`${describe(m)}: ${err.message}`);
    throw err;
  }
  if (m.values.length === 0) throw new MatchCompileError(`${describe(m)}: no value given (an empty list matches nothing)`);
  const and = mods.includes('all');
  const negate = mods.includes('neq');
  try {
    if (m.field === null) return compileKeywords(m, options, and);
    const accessor = (m.accessor as CompiledFieldAccessor | undefined) ?? compileFieldAccessor(m.field);

    if (mods.includes('exists')) {
      const expected = m.values[0];
      if (m.values.length !== 1 || typeof expected !== 'boolean') {
        throw new MatchCompileError(`${describe(m)}: exists takes true or false`);
      }
      return expected ? (e) => accessor.some(e, anyValue) : (e) => !accessor.some(e, anyValue);
    }

    let positive: EventTest;
    if (mods.includes('fieldref')) {
      positive = combine(compileFieldRef(m, accessor), and);
    } else {
      const setTest = and ? undefined : plainEqualitySet(m.values, mods);
      if (setTest) {
        positive = (e) => accessor.some(e, setTest);
      } else {
        const nullTest: EventTest = (e) => !accessor.some(e, anyValue) || accessor.some(e, isNull);
        const leafTests: LeafVisitor[] = [];
        const eventTests: EventTest[] = [];
        for (const value of m.values) {
          if (value === null) eventTests.push(nullTest);
          else if (and) {
            const leaf = leafTestFor(value, m, options);
            eventTests.push((e) => accessor.some(e, leaf));
          } else leafTests.push(leafTestFor(value, m, options));
        }
        if (leafTests.length > 0) {
          const leaf =
            leafTests.length === 1
              ? leafTests[0]
              : (v: unknown) => {
                  for (let i = 0; i < leafTests.length; i++) if (leafTests[i](v)) return true;
                  return false;
                };
          eventTests.push((e) => accessor.some(e, leaf));
        }
        positive = combine(eventTests, and);
      }
    }
    return negate ? (e) => !positive(e) : positive;
  } catch (err) {
    if (err instanceof TransformError || err instanceof PlaceholderError) {
      throw new MatchCompileError(`${describe(m)}: ${err.message}`);
    }
    throw err;
  }
}

function compileKeywords(m: SigmaFieldMatch, options: MatchCompileOptions, and: boolean): EventTest {
  const positioned = m.modifiers.some((x) => x === 'contains' || x === 'startswith' || x === 'endswith');
  const tests = m.values.map((value): EventTest => {
    if (value === null) throw new MatchCompileError(`${describe(m)}: a keyword cannot be null`);
    let leaf: LeafVisitor;
    if (m.modifiers.includes('re')) {
      leaf = leafTestFor(value, m, options);
    } else {
      const cased = m.modifiers.includes('cased');
      const alternatives = stringAlternatives(String(value), typeof value !== 'string', m.modifiers, options).map((s) =>
        positioned ? s : concatSigmaStrings([STAR], s, [STAR]),
      );
      leaf = stringLeafTest(alternatives.map((s) => compileStringTest(s, cased)));
    }
    return (e) => someLeaf(e.fields, leaf);
  });
  const positive = combine(tests, and);
  return m.modifiers.includes('neq') ? (e) => !positive(e) : positive;
}

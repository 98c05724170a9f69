/**
 * One Sigma `field|modifiers: values` entry (or a keyword list) -> an Expr over SPL atoms, following pySigma's
 * Splunk conventions: `f="v"`, `f IN ("a", "b")`, contains/startswith/endswith as `*` wildcards, `re` as a regex,
 * `cidr` as cidrmatch, `exists` as `f=*` / `NOT f=*`, `null` as `NOT f=*`, `fieldref` as a where comparison,
 * `lt`/`gt`... in where, keywords as quoted terms. A placeholder written alone (`f|expand: '%name%'`) becomes a
 * lookup on the CSV lookup `entrawatch_<name>` (the same list the stream reads from the config); other expand
 * forms are expanded inline from the config. Values that a search literal cannot carry (a literal `*`, the
 * single-character wildcard `?`, backticks, control characters, `cased`) are matched by an anchored regex.
 */
import type { SigmaFieldMatch, SigmaValue } from '../../sigma/ast.js';
import { expandPlaceholders, placeholderNames } from '../../sigma/placeholders.js';
import { concatSigmaStrings, parseSigmaString, plainSigmaString, STAR, type SigmaString } from '../../sigma/sigma-string.js';
import { TIME_PARTS } from '../../sigma/time-parts.js';
import { evalFieldName, isPlainFieldName, isSearchSafe, regexLiteral, sanitizeUserRegex, sigmaStringToRegex, splString } from './escape.js';
import { SplConversionError } from './errors.js';
import { and, atom, not, or, type Atom, type Expr } from './expression.js';
import { splFieldFor, type SplField } from './fields.js';

export interface MatchContext {
  placeholders: Record<string, string[]>;
  /** placeholder names that exist as lookups in the app (lookup form allowed) */
  lookups: ReadonlySet<string>;
  /** registers a lookup prelude; returns the output field and the prelude id */
  lookup(placeholder: string, field: string): { field: string; need: string };
}

type ValueTest =
  | { k: 'str'; s: SigmaString; cased: boolean; numeric: boolean }
  | { k: 're'; pattern: string }
  | { k: 'cidr'; net: string }
  | { k: 'cmp'; op: '<' | '<=' | '>' | '>='; n: number }
  | { k: 'null' };

const CMP: Record<string, '<' | '<=' | '>' | '>='> = { lt: '<', lte: '<=', gt: '>', gte: '>=' };
const SUPPORTED = new Set(['contains', 'startswith', 'endswith', 'all', 'exists', 'cased', 'neq', 're', 'i', 'm', 's', 'cidr', 'expand', 'fieldref', 'lt', 'lte', 'gt', 'gte']);

/** Any-value test of one field in eval: never null. */
function mvTest(field: string, test: (ref: string) => string): string {
  return `coalesce(mvcount(mvfilter(${test(evalFieldName(field))})),0)>0`;
}

function searchLiteral(t: ValueTest & { k: 'str' }): string | undefined {
  if (t.cased) return undefined;
  let text = '';
  for (const p of t.s) {
    if (p === STAR) text += '*';
    else if (typeof p !== 'string') return undefined; // `?`: no single-character wildcard in search
    else if (p.includes('*') || !isSearchSafe(p)) return undefined;
    else text += p;
  }
  if (t.numeric && /^-?\d+(\.\d+)?$/.test(text)) return text;
  return splString(text);
}

function whereTest(field: string, t: ValueTest): string {
  switch (t.k) {
    case 'str':
      return mvTest(field, (ref) => `match(${ref}, ${regexLiteral(sigmaStringToRegex(t.s, t.cased))})`);
    case 're':
      return mvTest(field, (ref) => `match(${ref}, ${regexLiteral(t.pattern)})`);
    case 'cidr':
      return mvTest(field, (ref) => `cidrmatch(${splString(t.net)}, ${ref})`);
    case 'cmp':
      return mvTest(field, (ref) => `tonumber(${ref})${t.op}${t.n}`);
    case 'null':
      return `isnull(${evalFieldName(field)})`; // (fieldAtom writes null as NOT exists)
  }
}

/** An atom testing one Splunk field against ORed value tests. */
function fieldAtom(field: string, tests: ValueTest[], needs: string[]): Expr {
  const plain = isPlainFieldName(field);
  const parts: Expr[] = [];
  const literals: string[] = [];
  const rest: ValueTest[] = [];
  for (const t of tests) {
    const lit = plain && t.k === 'str' ? searchLiteral(t) : undefined;
    if (lit !== undefined) literals.push(lit);
    else rest.push(t);
  }
  if (literals.length > 0) {
    const regexes = tests.filter((t) => t.k === 'str' && searchLiteral(t) !== undefined);
    const whereForm = regexes.map((t) => whereTest(field, t)).join(' OR ');
    parts.push(
      atom({
        search: literals.length === 1 ? `${field}=${literals[0]}` : `${field} IN (${literals.join(', ')})`,
        where: regexes.length > 1 ? `(${whereForm})` : whereForm,
        needs,
      }),
    );
  }
  for (const t of rest) {
    if (t.k === 'null') {
      parts.push(not(existsAtom(field, needs)));
      continue;
    }
    const a: Atom = { where: whereTest(field, t), needs };
    if (plain && !field.includes('{}')) {
      if (t.k === 're') a.command = `regex ${field}=${regexLiteral(t.pattern)}`;
      if (t.k === 'cidr') a.command = `where cidrmatch(${splString(t.net)}, ${evalFieldName(field)})`;
    }
    parts.push(atom(a));
  }
  return or(parts);
}

function existsAtom(field: string, needs: string[]): Expr {
  return atom({ search: isPlainFieldName(field) ? `${field}=*` : undefined, where: `isnotnull(${evalFieldName(field)})`, needs });
}

/** Tests over a SplField (one or more Splunk fields, `first` or `all`). */
function overField(f: SplField, build: (name: string) => Expr): Expr {
  if (f.names.length === 1 || f.combine === 'all') return or(f.names.map(build));
  // first: the first field that has any value decides
  const branches: Expr[] = [];
  const absent: Expr[] = [];
  for (const name of f.names) {
    branches.push(and([...absent, build(name)]));
    absent.push(not(existsAtom(name, f.needs)));
  }
  return or(branches);
}

function describe(m: SigmaFieldMatch): string {
  return m.field === null ? `keywords${m.modifiers.map((x) => `|${x}`).join('')}` : [m.field, ...m.modifiers].join('|');
}

function toNumber(v: SigmaValue): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function regexFlags(mods: readonly string[], pattern: string): string {
  const flags = ['i', 'm', 's'].filter((f) => mods.includes(f)).join('');
  return flags ? `(?${flags})${pattern}` : pattern;
}

/** String alternatives of a value: expand (inline), then position modifiers. */
function stringAlternatives(value: SigmaValue, mods: readonly string[], ctx: MatchContext): SigmaString[] {
  const raw = String(value);
  let alts: SigmaString[];
  if (mods.includes('expand')) alts = expandPlaceholders(raw, ctx.placeholders);
  else alts = [typeof value === 'string' ? parseSigmaString(raw) : plainSigmaString(raw)];
  const pre: SigmaString = mods.includes('contains') || mods.includes('endswith') ? [STAR] : [];
  const post: SigmaString = mods.includes('contains') || mods.includes('startswith') ? [STAR] : [];
  return alts.map((s) => concatSigmaStrings(pre, s, post));
}

function valueTests(value: SigmaValue, m: SigmaFieldMatch, ctx: MatchContext): ValueTest[] {
  const mods = m.modifiers;
  if (value === null) return [{ k: 'null' }];
  const cmp = mods.find((x) => x in CMP);
  if (cmp) {
    const n = toNumber(value);
    if (n === undefined) throw new SplConversionError(`${describe(m)}: "${String(value)}" is not a number`);
    return [{ k: 'cmp', op: CMP[cmp]!, n }];
  }
  if (mods.includes('re')) return [{ k: 're', pattern: sanitizeUserRegex(regexFlags(mods, String(value))) }];
  if (mods.includes('cidr')) {
    const net = String(value);
    if (!/^[0-9A-Fa-f:.]+\/\d{1,3}$/.test(net)) throw new SplConversionError(`${describe(m)}: "${net}" is not a CIDR network`);
    return [{ k: 'cidr', net }];
  }
  const cased = mods.includes('cased');
  const numeric = typeof value === 'number' && !mods.some((x) => x === 'contains' || x === 'startswith' || x === 'endswith');
  return stringAlternatives(value, mods, ctx).map((s) => ({ k: 'str', s, cased, numeric }));
}

function checkSupported(m: SigmaFieldMatch): void {
  for (const mod of m.modifiers) {
    if ((TIME_PARTS as readonly string[]).includes(mod)) {
      throw new SplConversionError(`${describe(m)}: the time-part modifier "${mod}" is not converted to SPL (compare strftime(_time, ...) in a custom search)`);
    }
    if (!SUPPORTED.has(mod)) {
      throw new SplConversionError(`${describe(m)}: the modifier "${mod}" is not converted to SPL (encodings and windash are for process logs, not Entra)`);
    }
  }
}

/** The lookup form applies: `field|expand: '%name%'` (optionally neq), one value, one field, a known lookup. */
function lookupPlaceholder(m: SigmaFieldMatch, f: SplField, ctx: MatchContext): string | undefined {
  if (!m.modifiers.includes('expand')) return undefined;
  if (m.modifiers.some((x) => x !== 'expand' && x !== 'neq')) return undefined;
  if (m.values.length !== 1 || typeof m.values[0] !== 'string') return undefined;
  const names = placeholderNames(m.values[0]);
  if (names.length !== 1 || m.values[0] !== `%${names[0]}%`) return undefined;
  if (f.names.length !== 1 || !isPlainFieldName(f.names[0]!)) return undefined;
  const name = [...ctx.lookups].find((l) => l.toLowerCase() === names[0]!.toLowerCase());
  return name;
}

/** Converts one field entry of a selection. */
export function convertFieldMatch(m: SigmaFieldMatch, ctx: MatchContext): Expr {
  checkSupported(m);
  const mods = m.modifiers;
  const negate = mods.includes('neq');
  const all = mods.includes('all');
  if (m.values.length === 0) throw new SplConversionError(`${describe(m)}: no value given`);
  if (m.field === null) {
    const e = convertKeywords(m, ctx);
    return negate ? not(e) : e;
  }
  const f = splFieldFor(m.field);

  if (mods.includes('exists')) {
    const expected = m.values[0];
    if (m.values.length !== 1 || typeof expected !== 'boolean') throw new SplConversionError(`${describe(m)}: exists takes true or false`);
    const any = or(f.names.map((n) => existsAtom(n, f.needs)));
    return expected ? any : not(any);
  }

  let positive: Expr;
  if (mods.includes('fieldref')) {
    const mode = mods.find((x) => x === 'contains' || x === 'startswith' || x === 'endswith');
    const cased = mods.includes('cased');
    const tests = m.values.map((v) => {
      if (typeof v !== 'string' || v === '') throw new SplConversionError(`${describe(m)}: fieldref takes a field name`);
      const other = splFieldFor(v);
      return overField(f, (a) =>
        or(
          other.names.map((b) => {
            const x = cased ? evalFieldName(a) : `lower(${evalFieldName(a)})`;
            const y = cased ? evalFieldName(b) : `lower(${evalFieldName(b)})`;
            const cmp =
              mode === 'contains' ? `like(${x}, "%".${y}."%")` : mode === 'startswith' ? `like(${x}, ${y}."%")` : mode === 'endswith' ? `like(${x}, "%".${y})` : `${x}==${y}`;
            return atom({ where: `if(isnotnull(${evalFieldName(a)}) AND isnotnull(${evalFieldName(b)}) AND ${cmp}, 1, 0)==1`, needs: [...f.needs, ...other.needs] });
          }),
        ),
      );
    });
    positive = all ? and(tests) : or(tests);
  } else {
    const placeholder = lookupPlaceholder(m, f, ctx);
    if (placeholder !== undefined) {
      const out = ctx.lookup(placeholder, f.names[0]!);
      positive = atom({ search: `${out.field}=*`, where: `isnotnull(${evalFieldName(out.field)})`, needs: [...f.needs, out.need] });
    } else if (all) {
      positive = and(m.values.map((v) => overField(f, (name) => fieldAtom(name, valueTests(v, m, ctx), f.needs))));
    } else {
      const tests = m.values.flatMap((v) => valueTests(v, m, ctx));
      const nulls = tests.filter((t) => t.k === 'null');
      const others = tests.filter((t) => t.k !== 'null');
      const parts: Expr[] = [];
      if (others.length > 0) parts.push(overField(f, (name) => fieldAtom(name, others, f.needs)));
      if (nulls.length > 0) parts.push(and(f.names.map((n) => not(existsAtom(n, f.needs)))));
      positive = or(parts);
    }
  }
  return negate ? not(positive) : positive;
}

function convertKeywords(m: SigmaFieldMatch, ctx: MatchContext): Expr {
  const positioned = m.modifiers.some((x) => x === 'contains' || x === 'startswith' || x === 'endswith');
  const tests = m.values.map((value): Expr => {
    if (value === null) throw new SplConversionError(`${describe(m)}: a keyword cannot be null`);
    if (m.modifiers.includes('re')) {
      const pattern = sanitizeUserRegex(regexFlags(m.modifiers, String(value)));
      return atom({ where: `match(_raw, ${regexLiteral(pattern)})`, needs: [], command: `regex _raw=${regexLiteral(pattern)}` });
    }
    const cased = m.modifiers.includes('cased');
    return or(
      stringAlternatives(value, m.modifiers, ctx).map((s) => {
        const lit = searchLiteral({ k: 'str', s, cased, numeric: false });
        const regex = positioned ? sigmaStringToRegex(s, cased) : sigmaStringToRegex(s, cased, false);
        return atom({ search: lit, where: `match(_raw, ${regexLiteral(regex)})`, needs: [] });
      }),
    );
  });
  return m.modifiers.includes('all') ? and(tests) : or(tests);
}

/**
 * A boolean expression over SPL atoms, and its two renderings: the search language (fast, uses the index:
 * `f="v"`, `f IN (...)`, `f=*`) and the eval language of `| where` (`match()`, `cidrmatch()`, comparisons). Every
 * atom has a where form; an atom without a search form (regex, cidr, literal `*`, `?`, cased, backtick...) forces
 * its enclosing top-level conjunct into `| where`.
 *
 * Where forms never evaluate to null: `NOT` of a test on an absent field must be true, as in Sigma, so field
 * tests are written `coalesce(mvcount(mvfilter(<test>)),0)>0` (also "any value of a multivalue field").
 */

export type Expr =
  | { op: 'and' | 'or'; args: Expr[] }
  | { op: 'not'; arg: Expr }
  | { op: 'atom'; atom: Atom }
  | { op: 'const'; value: boolean };

export interface Atom {
  /** search-language form, or undefined when only `where` can express it */
  search?: string;
  /** eval-language boolean form (never null) */
  where: string;
  /** prelude steps needed before this atom can be evaluated */
  needs: string[];
  /** a pySigma-style trailing command when the atom is a top-level conjunct: `regex f="..."`, `where cidrmatch(...)` */
  command?: string;
}

export const TRUE: Expr = { op: 'const', value: true };
export const FALSE: Expr = { op: 'const', value: false };

export function atom(a: Atom): Expr {
  return { op: 'atom', atom: a };
}

export function and(args: Expr[]): Expr {
  const flat: Expr[] = [];
  for (const a of args) {
    if (a.op === 'const') {
      if (!a.value) return FALSE;
      continue;
    }
    if (a.op === 'and') flat.push(...a.args);
    else flat.push(a);
  }
  if (flat.length === 0) return TRUE;
  return flat.length === 1 ? flat[0]! : { op: 'and', args: flat };
}

export function or(args: Expr[]): Expr {
  const flat: Expr[] = [];
  for (const a of args) {
    if (a.op === 'const') {
      if (a.value) return TRUE;
      continue;
    }
    if (a.op === 'or') flat.push(...a.args);
    else flat.push(a);
  }
  if (flat.length === 0) return FALSE;
  return flat.length === 1 ? flat[0]! : { op: 'or', args: flat };
}

export function not(arg: Expr): Expr {
  if (arg.op === 'const') return { op: 'const', value: !arg.value };
  if (arg.op === 'not') return arg.arg;
  return { op: 'not', arg };
}

export function canSearch(e: Expr): boolean {
  switch (e.op) {
    case 'atom':
      return e.atom.search !== undefined;
    case 'const':
      return true;
    case 'not':
      return canSearch(e.arg);
    default:
      return e.args.every(canSearch);
  }
}

export function needsOf(e: Expr, out = new Set<string>()): Set<string> {
  switch (e.op) {
    case 'atom':
      for (const n of e.atom.needs) out.add(n);
      break;
    case 'not':
      needsOf(e.arg, out);
      break;
    case 'and':
    case 'or':
      for (const a of e.args) needsOf(a, out);
      break;
  }
  return out;
}

/** Search-language text; `top` = no parentheses needed around an AND. */
export function renderSearch(e: Expr, top = false): string {
  switch (e.op) {
    case 'const':
      // a constant only survives at the top (and/or fold them away): `*` matches all, NOT * nothing
      return e.value ? '*' : 'NOT *';
    case 'atom':
      return e.atom.search!;
    case 'not':
      return `NOT ${wrapSearch(e.arg)}`;
    case 'and': {
      const text = e.args.map((a) => (a.op === 'or' ? `(${renderSearch(a)})` : renderSearch(a))).join(' ');
      return top ? text : text;
    }
    case 'or':
      return e.args.map((a) => (a.op === 'and' ? `(${renderSearch(a)})` : renderSearch(a))).join(' OR ');
  }
}

function wrapSearch(e: Expr): string {
  return e.op === 'and' || e.op === 'or' ? `(${renderSearch(e)})` : renderSearch(e);
}

/** Eval-language text of a boolean expression. */
export function renderWhere(e: Expr): string {
  switch (e.op) {
    case 'const':
      return e.value ? 'true()' : 'false()';
    case 'atom':
      return e.atom.where;
    case 'not':
      return `NOT (${renderWhere(e.arg)})`;
    case 'and':
      return e.args.map((a) => (a.op === 'atom' || a.op === 'not' ? renderWhere(a) : `(${renderWhere(a)})`)).join(' AND ');
    case 'or':
      return e.args.map((a) => (a.op === 'atom' || a.op === 'not' ? renderWhere(a) : `(${renderWhere(a)})`)).join(' OR ');
  }
}

/** The top-level conjuncts of an expression. */
export function conjuncts(e: Expr): Expr[] {
  return e.op === 'and' ? e.args : [e];
}

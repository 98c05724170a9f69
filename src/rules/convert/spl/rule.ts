/**
 * A parsed Sigma rule -> the SPL that finds its events in `azure:monitor:aad` data:
 *   `entrawatch_aad` <logsource category> <search-language conditions on raw fields>
 *   | <preludes: enrichment macros, evals, placeholder lookups> | search <conditions on computed fields>
 *   | regex ... | where <conditions only eval can express>
 * The condition is split at its top-level AND; a conjunct goes to the cheapest stage that can express it.
 */
import { kindsForLogsource } from '../../index/kinds.js';
import type { ConditionNode, ParsedRule, SigmaSelection } from '../../sigma/ast.js';
import { selectionsOfPattern } from '../../sigma/condition.js';
import { splString } from './escape.js';
import { SplConversionError } from './errors.js';
import { and, canSearch, conjuncts, needsOf, not, or, renderSearch, renderWhere, type Expr } from './expression.js';
import { enrichMacroName, PRELUDES } from './fields.js';
import { convertFieldMatch, type MatchContext } from './matches.js';

/** The SPL of one rule's events, before any aggregation. */
export interface RuleSearch {
  /** search-language filter after the `entrawatch_aad` macro ('' = none) */
  head: string;
  /** pipeline commands after it, without the leading pipe */
  tail: string[];
}

export const BASE_MACRO = 'entrawatch_aad';

const CATEGORIES: Record<string, string[]> = {
  signin: ['SignInLogs', 'NonInteractiveUserSignInLogs', 'ServicePrincipalSignInLogs', 'ManagedIdentitySignInLogs'],
  audit: ['AuditLogs'],
  risk: ['RiskyUsers', 'UserRiskEvents'],
};

function logsourceFilter(rule: ParsedRule): string {
  const kinds = kindsForLogsource(rule.meta.logsource);
  if (kinds.length === 0) {
    throw new SplConversionError(`logsource product "${rule.meta.logsource.product}" is not Entra / Azure: the Splunk app only searches azure:monitor:aad`);
  }
  if (kinds.length === 4 || kinds.includes('other')) return '';
  const cats = kinds.flatMap((k) => CATEGORIES[k] ?? []);
  return cats.length === 1 ? `category=${splString(cats[0]!)}` : `category IN (${cats.map(splString).join(', ')})`;
}

function selectionExpr(sel: SigmaSelection, ctx: MatchContext): Expr {
  return or(sel.matches.map((branch) => and(branch.map((m) => convertFieldMatch(m, ctx)))));
}

function conditionExpr(node: ConditionNode, sels: Record<string, Expr>): Expr {
  switch (node.op) {
    case 'ref':
      return sels[node.name]!;
    case 'not':
      return not(conditionExpr(node.arg, sels));
    case 'and':
      return and(node.args.map((a) => conditionExpr(a, sels)));
    case 'or':
      return or(node.args.map((a) => conditionExpr(a, sels)));
    case 'of': {
      const names = selectionsOfPattern(node.pattern, Object.keys(sels));
      const exprs = names.map((n) => sels[n]!);
      if (node.quantifier === 'all') return and(exprs);
      if (node.quantifier === 1) return or(exprs);
      // k of n: OR of the AND of every k-combination (small n in practice)
      const combos: Expr[] = [];
      const pick = (start: number, chosen: Expr[]): void => {
        if (chosen.length === node.quantifier) {
          combos.push(and(chosen));
          return;
        }
        for (let i = start; i < exprs.length; i++) pick(i + 1, [...chosen, exprs[i]!]);
      };
      pick(0, []);
      return or(combos);
    }
  }
}

/** Per-conversion state: placeholder lookups used and their preludes. */
export class PreludeRegistry {
  private readonly lookups = new Map<string, string>();
  constructor(readonly placeholders: Record<string, string[]>, readonly lookupNames: ReadonlySet<string>) {}

  context(): MatchContext {
    return {
      placeholders: this.placeholders,
      lookups: this.lookupNames,
      lookup: (placeholder, field) => {
        const out = `ew_in_${placeholder.replace(/[^A-Za-z0-9_]/g, '_')}_${shortHash(field)}`;
        const need = `lookup:${out}`;
        this.lookups.set(need, `lookup ${lookupName(placeholder)} value AS ${field} OUTPUT value AS ${out}`);
        return { field: out, need };
      },
    };
  }

  /** The pipeline command of a prelude id. */
  command(need: string): string {
    if (need.startsWith('enrich:')) return `\`${enrichMacroName(need.slice(7))}\``;
    if (need.startsWith('lookup:')) return this.lookups.get(need)!;
    const p = PRELUDES[need];
    if (!p) throw new SplConversionError(`internal: unknown prelude ${need}`);
    return p;
  }
}

/** The lookup definition (transforms.conf) of a placeholder. */
export function lookupName(placeholder: string): string {
  return `entrawatch_${placeholder.replace(/[^A-Za-z0-9_]/g, '_').toLowerCase()}`;
}

export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36).slice(0, 5);
}

/** Orders prelude ids: computed fields (enrichers, evals) before the lookups that may read them. */
function orderNeeds(needs: Iterable<string>): string[] {
  const list = [...needs];
  return [...list.filter((n) => !n.startsWith('lookup:')), ...list.filter((n) => n.startsWith('lookup:'))];
}

/** Converts a parsed rule to the search of its events. Throws SplConversionError. */
export function convertRuleSearch(rule: ParsedRule, registry: PreludeRegistry): RuleSearch {
  const ctx = registry.context();
  const sels: Record<string, Expr> = {};
  for (const [name, sel] of Object.entries(rule.selections)) sels[name] = selectionExpr(sel, ctx);
  const expr = conditionExpr(rule.condition, sels);

  const head: string[] = [];
  const ls = logsourceFilter(rule);
  if (ls) head.push(ls);
  const late: Expr[] = [];
  const commands: Expr[] = [];
  const wheres: Expr[] = [];
  if (expr.op === 'const' && !expr.value) throw new SplConversionError('the condition can never match');
  for (const c of expr.op === 'const' ? [] : conjuncts(expr)) {
    if (canSearch(c)) {
      if (needsOf(c).size === 0) head.push(c.op === 'or' ? `(${renderSearch(c)})` : renderSearch(c));
      else late.push(c);
    } else if (c.op === 'atom' && c.atom.command) commands.push(c);
    else wheres.push(c);
  }
  const needs = new Set<string>();
  for (const c of [...late, ...commands, ...wheres]) needsOf(c, needs);
  const tail = orderNeeds(needs).map((n) => registry.command(n));
  if (late.length > 0) tail.push(`search ${late.map((c) => (c.op === 'or' ? `(${renderSearch(c)})` : renderSearch(c))).join(' ')}`);
  for (const c of commands) tail.push((c as Expr & { op: 'atom' }).atom.command!);
  if (wheres.length > 0) tail.push(`where ${wheres.map((w) => (w.op === 'or' ? `(${renderWhere(w)})` : renderWhere(w))).join(' AND ')}`);
  return { head: head.join(' '), tail };
}

/** `entrawatch_aad` head | tail... ; with `subsearch` the text starts with `search` (multisearch, append). */
export function renderRuleSearch(rs: RuleSearch, subsearch = false): string {
  const first = `${subsearch ? 'search ' : ''}\`${BASE_MACRO}\`${rs.head ? ` ${rs.head}` : ''}`;
  return [first, ...rs.tail].join(' | ');
}

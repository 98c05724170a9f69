/**
 * compileSigmaRule: a ParsedRule -> CompiledRule, once. Selections and the condition become closures; a rule
 * whose logsource excludes the event's kind never matches (so matching with or without the RuleIndex gives the
 * same result). Errors are RuleLoadErrors naming file, rule, line and problem.
 */
import type { EntraEvent, EventKind } from '../../normalize/event.js';
import { RuleLoadError } from '../../errors.js';
import { deriveIndexKeys, type IndexKey } from '../index/index-keys.js';
import { kindsForLogsource } from '../index/kinds.js';
import type { RuleMeta } from '../types.js';
import type { ConditionNode, ParsedRule, SigmaSelection } from './ast.js';
import { selectionsOfPattern } from './condition.js';
import { compileFieldMatch, MatchCompileError, type EventTest } from './match-field.js';

export type { IndexKey } from '../index/index-keys.js';

export interface CompileOptions {
  /** values of the `%name%` placeholders used with `|expand` (config key `placeholders`) */
  placeholders: Record<string, string[]>;
}

export interface CompiledRule {
  meta: RuleMeta;
  parsed: ParsedRule;
  /** true when the event is of a kind the rule's logsource covers and the condition holds */
  match(event: EntraEvent): boolean;
  /** exact activity / error-code values the rule requires (one of them), or null: always a candidate */
  indexKeys: IndexKey[] | null;
  /** the event kinds the rule's logsource covers ([] for another product: never a candidate) */
  kinds: readonly EventKind[];
}

function compileSelection(sel: SigmaSelection, rule: ParsedRule, options: CompileOptions): EventTest {
  const branches = sel.matches.map((branch) => {
    if (branch.length === 0) throw new RuleLoadError(rule.meta.file, rule.meta.title, sel.line, `selection "${sel.name}" is empty`);
    const tests = branch.map((m) => {
      try {
        return compileFieldMatch(m, options);
      } catch (err) {
        if (err instanceof MatchCompileError) {
          throw new RuleLoadError(rule.meta.file, rule.meta.title, m.line ?? sel.line, `selection "${sel.name}": ${err.message}`);
        }
        throw err;
      }
    });
    if (tests.length === 1) return tests[0];
    return (e: EntraEvent) => {
      for (let i = 0; i < tests.length; i++) if (!tests[i](e)) return false;
      return true;
    };
  });
  if (branches.length === 1) return branches[0];
  return (e) => {
    for (let i = 0; i < branches.length; i++) if (branches[i](e)) return true;
    return false;
  };
}

function compileCondition(node: ConditionNode, tests: Record<string, EventTest>): EventTest {
  switch (node.op) {
    case 'ref':
      return tests[node.name];
    case 'not': {
      const inner = compileCondition(node.arg, tests);
      return (e) => !inner(e);
    }
    case 'and': {
      const args = node.args.map((a) => compileCondition(a, tests));
      return (e) => {
        for (let i = 0; i < args.length; i++) if (!args[i](e)) return false;
        return true;
      };
    }
    case 'or': {
      const args = node.args.map((a) => compileCondition(a, tests));
      return (e) => {
        for (let i = 0; i < args.length; i++) if (args[i](e)) return true;
        return false;
      };
    }
    case 'of': {
      const args = selectionsOfPattern(node.pattern, Object.keys(tests)).map((n) => tests[n]);
      if (node.quantifier === 'all') {
        return (e) => {
          for (let i = 0; i < args.length; i++) if (!args[i](e)) return false;
          return true;
        };
      }
      const need = node.quantifier;
      return (e) => {
        let hits = 0;
        for (let i = 0; i < args.length; i++) if (args[i](e) && ++hits >= need) return true;
        return false;
      };
    }
  }
}

/** Compiles a parsed rule into a matcher. Throws RuleLoadError. */
export function compileSigmaRule(parsed: ParsedRule, options: CompileOptions): CompiledRule {
  const tests: Record<string, EventTest> = {};
  for (const [name, sel] of Object.entries(parsed.selections)) tests[name] = compileSelection(sel, parsed, options);
  const condition = compileCondition(parsed.condition, tests);
  const kinds = kindsForLogsource(parsed.meta.logsource);
  const allowed: Record<string, boolean> = { signin: false, audit: false, risk: false, other: false };
  for (const k of kinds) allowed[k] = true;
  const match =
    kinds.length === 4 ? condition : kinds.length === 0 ? () => false : (e: EntraEvent) => allowed[e.kind] === true && condition(e);
  return { meta: parsed.meta, parsed, match, indexKeys: deriveIndexKeys(parsed, options.placeholders), kinds };
}

/**
 * The typed AST of a Sigma rule, as parsed from YAML before compilation. The Sigma compiler (compile.ts) and the
 * Splunk SPL converter both read it.
 */
import type { FieldAccessor, RuleMeta } from '../types.js';

export type SigmaValue = string | number | boolean | null;

/** One `field|mod1|mod2: value(s)` entry of a selection (or one keyword list when `field` is null). */
export interface SigmaFieldMatch {
  /** the field name as written; null = keyword search over the whole record */
  field: string | null;
  /** modifiers in the order written, lowercase (`contains`, `all`, `re`, `i`, ...) */
  modifiers: string[];
  /** values as written in YAML (a list ORs them, or ANDs them with `all`) */
  values: SigmaValue[];
  /** the compiled accessor of `field` (set by the parser) */
  accessor?: FieldAccessor;
  /** 1-based line of the entry in its file (for error messages) */
  line?: number;
}

export interface SigmaSelection {
  name: string;
  /** map: keys ANDed; list-of-maps: maps ORed; keywords: a list of values searched in the whole record */
  kind: 'map' | 'list-of-maps' | 'keywords';
  /** OR of ANDs */
  matches: SigmaFieldMatch[][];
  line?: number;
}

export type ConditionNode =
  | { op: 'and' | 'or'; args: ConditionNode[] }
  | { op: 'not'; arg: ConditionNode }
  | { op: 'ref'; name: string }
  | { op: 'of'; quantifier: 'all' | number; pattern: string /* 'them' or 'sel_*' */ };

export interface ParsedRule {
  meta: RuleMeta;
  selections: Record<string, SigmaSelection>;
  condition: ConditionNode;
  /** the YAML document as plain data */
  raw: Record<string, unknown>;
}

/** A correlation rule document; its `correlation:` section is interpreted by src/rules/correlation. */
export interface RawCorrelationDoc {
  meta: RuleMeta;
  correlation: Record<string, unknown>;
  raw: Record<string, unknown>;
}

/**
 * The Sigma condition grammar: `or` < `and` < `not` < `x of` < parentheses (loosest to tightest).
 *   expr     := and_expr ('or' and_expr)*
 *   and_expr := not_expr ('and' not_expr)*
 *   not_expr := 'not' not_expr | primary
 *   primary  := '(' expr ')' | (NUMBER | 'all' | 'any') 'of' (PATTERN | 'them') | IDENTIFIER
 * A list of conditions is ORed (parseConditions). `any of` is `1 of`. Identifiers starting with `_` are left
 * out of `them`. Keywords are lowercase, as in the specification.
 */
import type { ConditionNode } from './ast.js';

/** A condition that does not parse or names no selection; the loader turns it into a RuleLoadError. */
export class ConditionError extends Error {}

type Token = { type: 'lparen' } | { type: 'rparen' } | { type: 'word'; text: string; pos: number };

const WORD = /[A-Za-z0-9_\-.*?]+/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
    } else if (ch === '(') {
      tokens.push({ type: 'lparen' });
      i++;
    } else if (ch === ')') {
      tokens.push({ type: 'rparen' });
      i++;
    } else if (ch === '|') {
      throw new ConditionError(
        `condition "${text}": the Sigma v1 aggregation "| ..." is not supported; write a correlation rule instead`,
      );
    } else {
      WORD.lastIndex = i;
      const m = WORD.exec(text);
      if (!m) throw new ConditionError(`condition "${text}": unexpected character "${ch}" at position ${i + 1}`);
      tokens.push({ type: 'word', text: m[0], pos: i });
      i += m[0].length;
    }
  }
  return tokens;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'of', 'them', 'all', 'any']);

class Parser {
  private pos = 0;
  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  parse(): ConditionNode {
    if (this.tokens.length === 0) throw new ConditionError('condition is empty');
    const node = this.orExpr();
    if (this.pos < this.tokens.length) throw this.error(`unexpected ${this.describe(this.tokens[this.pos])}`);
    return node;
  }

  private error(what: string): ConditionError {
    return new ConditionError(`condition "${this.text}": ${what}`);
  }

  private describe(t: Token | undefined): string {
    if (!t) return 'end of condition';
    if (t.type === 'lparen') return '"("';
    if (t.type === 'rparen') return '")"';
    return `"${t.text}"`;
  }

  private isWord(text: string, offset = 0): boolean {
    const t = this.tokens[this.pos + offset];
    return t !== undefined && t.type === 'word' && t.text === text;
  }

  private orExpr(): ConditionNode {
    const args = [this.andExpr()];
    while (this.isWord('or')) {
      this.pos++;
      args.push(this.andExpr());
    }
    return args.length === 1 ? args[0] : { op: 'or', args: flatten('or', args) };
  }

  private andExpr(): ConditionNode {
    const args = [this.notExpr()];
    while (this.isWord('and')) {
      this.pos++;
      args.push(this.notExpr());
    }
    return args.length === 1 ? args[0] : { op: 'and', args: flatten('and', args) };
  }

  private notExpr(): ConditionNode {
    if (this.isWord('not')) {
      this.pos++;
      return { op: 'not', arg: this.notExpr() };
    }
    return this.primary();
  }

  private primary(): ConditionNode {
    const t = this.tokens[this.pos];
    if (!t) throw this.error('ends too early: a selection name, "not", "(" or "x of" is missing');
    if (t.type === 'lparen') {
      this.pos++;
      const inner = this.orExpr();
      const close = this.tokens[this.pos];
      if (!close || close.type !== 'rparen') throw this.error(`expected ")" but found ${this.describe(close)}`);
      this.pos++;
      return inner;
    }
    if (t.type === 'rparen') throw this.error('unexpected ")"');
    if (this.isWord('of', 1)) {
      let quantifier: 'all' | number;
      if (t.text === 'all') quantifier = 'all';
      else if (t.text === 'any') quantifier = 1;
      else if (/^[0-9]+$/.test(t.text) && Number(t.text) >= 1) quantifier = Number(t.text);
      else throw this.error(`"${t.text} of": the quantifier must be a number >= 1, "any" or "all"`);
      this.pos += 2;
      const target = this.tokens[this.pos];
      if (!target || target.type !== 'word' || (KEYWORDS.has(target.text) && target.text !== 'them')) {
        throw this.error(`"${t.text} of" must be followed by "them" or a selection name pattern`);
      }
      this.pos++;
      return { op: 'of', quantifier, pattern: target.text };
    }
    if (KEYWORDS.has(t.text)) throw this.error(`unexpected "${t.text}"`);
    this.pos++;
    return { op: 'ref', name: t.text };
  }
}

function flatten(op: 'and' | 'or', args: ConditionNode[]): ConditionNode[] {
  const out: ConditionNode[] = [];
  for (const a of args) {
    if (a.op === op) out.push(...a.args);
    else out.push(a);
  }
  return out;
}

/** Parses one condition string. */
export function parseCondition(text: string): ConditionNode {
  return new Parser(text, tokenize(text)).parse();
}

/** Parses `condition:` (a string or a list of strings, ORed). */
export function parseConditions(value: unknown): ConditionNode {
  if (typeof value === 'string') return parseCondition(value);
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) {
    const nodes = (value as string[]).map(parseCondition);
    return nodes.length === 1 ? nodes[0] : { op: 'or', args: flatten('or', nodes) };
  }
  throw new ConditionError('detection.condition must be a string or a non-empty list of strings');
}

/** The selection names an `x of <pattern>` refers to (`them`: every name not starting with `_`). */
export function selectionsOfPattern(pattern: string, names: readonly string[]): string[] {
  if (pattern === 'them') return names.filter((n) => !n.startsWith('_'));
  const re = new RegExp(
    `^${pattern.replace(/[.+^${}()|[\]\\-]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`,
  );
  return names.filter((n) => re.test(n));
}

/** Checks that every name and pattern refers to a selection; throws ConditionError naming the first that does not. */
export function checkConditionReferences(node: ConditionNode, names: readonly string[]): void {
  switch (node.op) {
    case 'and':
    case 'or':
      for (const a of node.args) checkConditionReferences(a, names);
      return;
    case 'not':
      checkConditionReferences(node.arg, names);
      return;
    case 'ref':
      if (!names.includes(node.name)) {
        throw new ConditionError(
          `condition refers to "${node.name}", which is not a selection of this rule (selections: ${names.join(', ') || 'none'})`,
        );
      }
      return;
    case 'of':
      if (selectionsOfPattern(node.pattern, names).length === 0) {
        throw new ConditionError(
          `condition "${node.quantifier} of ${node.pattern}" matches no selection (selections: ${names.join(', ') || 'none'})`,
        );
      }
  }
}

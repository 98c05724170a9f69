/**
 * Index keys of a rule (DESIGN decision 3): exact field values that the rule's condition REQUIRES. If the rule
 * matches an event, the event has at least one of the keys; when that cannot be proved the rule has no keys
 * (null) and is always a candidate. The activity name and the error code are preferred; any other field with an
 * exact value (riskEventType, AuthenticationProtocol, ClientApp, ...) serves when the rule has neither, and a
 * required substring (`userAgent|contains: python`) serves last: the event is a candidate when the lowercase
 * value contains it (one lowercase per field and event, shared by all such rules: a light Aho-Corasick).
 *
 * Proof rules: a field entry with no modifier but `cased`/`all`/`expand` (the configured values), no null and no
 * wildcard requires its values (OR) or any one of them (`all`); with contains/startswith/endswith (not cased) it
 * requires them as substrings, with `cidr` an address in one of its networks,
 * and with `re` each regex's required literal (regex-literal.ts); a map requires what one of its entries requires; a list of maps, `or` and
 * `N of` require the union of what each branch requires (every branch must require something); `and` and
 * `all of` require what one argument requires; `not` requires nothing provable.
 */
import type { CompiledFieldAccessor } from '../fields/index.js';
import type { ConditionNode, ParsedRule, SigmaFieldMatch, SigmaSelection } from '../sigma/ast.js';
import { selectionsOfPattern } from '../sigma/condition.js';
import { lowerCached } from '../sigma/lowercase.js';
import { leafText } from '../sigma/string-match.js';
import { expandPlaceholders } from '../sigma/placeholders.js';
import { requiredRegexLiteral } from './regex-literal.js';
import { hasWildcards, parseSigmaString, plainText, type SigmaString } from '../sigma/sigma-string.js';

export interface IndexKey {
  /** the resolved name of the accessor, e.g. `fields.operationName` */
  field: string;
  /**
   * exact: a value equals `value`; substring: a value contains it (both compared lowercase); network: a value is
   * an address in the network `value` (the `cidr` modifier)
   */
  match: 'exact' | 'substring' | 'network';
  /** the required value, as lowercase text (network: the CIDR as written) */
  value: string;
  /** reads the field from an event (the same accessor the rule matches with) */
  accessor: CompiledFieldAccessor;
}

type Requirement = Map<string, IndexKey> | null;

/** the `%name%` lists of the config, for rules that `|expand` them */
type Placeholders = Record<string, string[]>;

/** The text an event value is looked up by: the same normalization as plain equality matching. */
export function indexText(value: unknown): string | undefined {
  if (typeof value === 'string') return lowerCached(value);
  if (typeof value === 'number') return String(value);
  const text = leafText(value);
  return text === undefined ? undefined : text.toLowerCase();
}

const POSITION = new Set(['contains', 'startswith', 'endswith']);

const REGEX_MODS = new Set(['re', 'i', 'm', 's', 'all']);

/** `field|re: ...`: each regex's required ASCII literal, as substrings. */
function regexRequirement(m: SigmaFieldMatch, accessor: CompiledFieldAccessor): Requirement {
  if (!m.modifiers.every((x) => REGEX_MODS.has(x))) return null;
  const keys = new Map<string, IndexKey>();
  const values = m.modifiers.includes('all') ? m.values.slice(0, 1) : m.values;
  for (const v of values) {
    const literal = v === null ? undefined : requiredRegexLiteral(String(v));
    if (literal === undefined) return null;
    const text = literal.toLowerCase();
    keys.set(`substring\u0000${accessor.resolved}\u0000${text}`, { field: accessor.resolved, match: 'substring', value: text, accessor });
  }
  return keys.size > 0 ? keys : null;
}

/** `field|cidr: ...`: the networks (an address in one of them). */
function networkRequirement(m: SigmaFieldMatch, accessor: CompiledFieldAccessor): Requirement {
  if (m.modifiers.length !== 1) return null;
  const keys = new Map<string, IndexKey>();
  for (const v of m.values) {
    if (typeof v !== 'string') return null;
    keys.set(`network\u0000${accessor.resolved}\u0000${v}`, { field: accessor.resolved, match: 'network', value: v, accessor });
  }
  return keys.size > 0 ? keys : null;
}

function fieldRequirement(m: SigmaFieldMatch, placeholders: Placeholders): Requirement {
  const accessor = m.accessor as CompiledFieldAccessor | undefined;
  if (m.field === null || !accessor) return null;
  if (m.modifiers.includes('re')) return regexRequirement(m, accessor);
  if (m.modifiers.includes('cidr')) return networkRequirement(m, accessor);
  const substring = m.modifiers.some((x) => POSITION.has(x));
  const expand = m.modifiers.includes('expand');
  for (const x of m.modifiers) {
    if (x === 'all' || x === 'expand') continue;
    if (x === 'cased' && !substring) continue;
    if (POSITION.has(x)) continue;
    return null;
  }
  // with `all` every value is required, so one of them is enough to key on; `all` with expand: keep it simple
  if (expand && m.modifiers.includes('all')) return null;
  const match = substring ? 'substring' : 'exact';
  const keys = new Map<string, IndexKey>();
  const values = m.modifiers.includes('all') ? m.values.slice(0, 1) : m.values;
  for (const v of values) {
    if (v === null) return null;
    // `|expand %name%`: the configured values, as the matcher expands them
    let strings: SigmaString[] | undefined;
    try {
      strings = typeof v === 'string' ? (expand ? expandPlaceholders(v, placeholders) : [parseSigmaString(v)]) : undefined;
    } catch {
      return null; // a missing placeholder: the rule does not load anyway
    }
    const texts: string[] = [];
    if (strings) {
      for (const s of strings) {
        if (hasWildcards(s)) return null;
        texts.push(plainText(s).toLowerCase());
      }
    } else {
      texts.push(String(v).toLowerCase());
    }
    for (const text of texts) {
      if (substring && text === '') return null;
      keys.set(`${match}\u0000${accessor.resolved}\u0000${text}`, { field: accessor.resolved, match, value: text, accessor });
    }
  }
  return keys.size > 0 ? keys : null;
}

/**
 * Fields with a handful of values that most events share (a poor key: the rule would be a candidate for half
 * the sign-ins). Only a preference: any exact key is sound.
 */
const FEW_VALUES = /(authenticationrequirement|iscompliant|ismanaged|trusttype|isinteractive|\.result$|category|loggedbyservice|operationtype|clientappused|conditionalaccessstatus|riskstate|risklevel|level$|tokenissuertype|usertype|status\.|derived)/i;

/** Error codes that most events carry (0: success, half or more of all sign-ins): as poor a key as a few-valued field. */
const COMMON_VALUES = new Set(['0']);

/**
 * Exact activity / error-code keys first (but not the success code 0), then other exact values, then substrings,
 * then exact values of few-valued fields; then the fewest keys.
 */
function rank(r: Map<string, IndexKey>): number {
  let tier = 0;
  for (const k of r.values()) {
    const t = k.match !== 'exact' ? 2 : k.accessor.indexable ? (COMMON_VALUES.has(k.value) ? 3 : 0) : FEW_VALUES.test(k.field) ? 3 : 1;
    tier = Math.max(tier, t);
  }
  return tier * 1_000_000 + r.size;
}

function smallest(reqs: Requirement[]): Requirement {
  let best: Requirement = null;
  let bestRank = Infinity;
  for (const r of reqs) {
    if (!r) continue;
    const rk = rank(r);
    if (rk < bestRank) {
      best = r;
      bestRank = rk;
    }
  }
  return best;
}

function union(reqs: Requirement[]): Requirement {
  const out = new Map<string, IndexKey>();
  for (const r of reqs) {
    if (!r) return null;
    for (const [k, v] of r) out.set(k, v);
  }
  return out;
}

function selectionRequirement(sel: SigmaSelection, placeholders: Placeholders): Requirement {
  return union(sel.matches.map((branch) => smallest(branch.map((m) => fieldRequirement(m, placeholders)))));
}

function conditionRequirement(node: ConditionNode, rule: ParsedRule, placeholders: Placeholders): Requirement {
  switch (node.op) {
    case 'ref': {
      const sel = rule.selections[node.name];
      return sel ? selectionRequirement(sel, placeholders) : null;
    }
    case 'and':
      return smallest(node.args.map((a) => conditionRequirement(a, rule, placeholders)));
    case 'or':
      return union(node.args.map((a) => conditionRequirement(a, rule, placeholders)));
    case 'not':
      return null;
    case 'of': {
      const names = selectionsOfPattern(node.pattern, Object.keys(rule.selections));
      if (names.length === 0) return null;
      const reqs = names.map((n) => selectionRequirement(rule.selections[n], placeholders));
      return node.quantifier === 'all' ? smallest(reqs) : union(reqs);
    }
  }
}

/** The index keys of a rule, or null when it must always be a candidate. */
export function deriveIndexKeys(rule: ParsedRule, placeholders: Placeholders = {}): IndexKey[] | null {
  const req = conditionRequirement(rule.condition, rule, placeholders);
  return req && req.size > 0 ? [...req.values()] : null;
}

/**
 * The `expand` modifier: `%name%` in a value is replaced by each value of `options.placeholders[name]` (from the
 * config key `placeholders.<name>`), every combination ORed. `\%` is a plain percent sign. Placeholder values are
 * Sigma strings (wildcards allowed). A placeholder missing from the config is a load error naming the key.
 */
import { concatSigmaStrings, parseSigmaString, type SigmaString } from './sigma-string.js';

export class PlaceholderError extends Error {
  constructor(readonly placeholder: string) {
    super(
      `placeholder %${placeholder}% has no values: set the config key placeholders.${placeholder} (a list of values) or remove the expand modifier`,
    );
  }
}

const PLACEHOLDER = /(\\\\)|(\\%)|%([A-Za-z0-9_.-]+)%/g;

/** The placeholder names a value uses. */
export function placeholderNames(raw: string): string[] {
  const names: string[] = [];
  for (const m of raw.matchAll(PLACEHOLDER)) if (m[3]) names.push(m[3]);
  return names;
}

function lookup(placeholders: Record<string, string[]>, name: string): string[] {
  const exact = placeholders[name];
  if (exact) return exact;
  const lower = name.toLowerCase();
  for (const key of Object.keys(placeholders)) if (key.toLowerCase() === lower) return placeholders[key];
  throw new PlaceholderError(name);
}

/** Expands a value written with `|expand` into its alternatives. */
export function expandPlaceholders(raw: string, placeholders: Record<string, string[]>): SigmaString[] {
  let alternatives: SigmaString[] = [[]];
  let literal = '';
  const flush = () => {
    if (!literal) return;
    const part = parseSigmaString(literal);
    alternatives = alternatives.map((a) => concatSigmaStrings(a, part));
    literal = '';
  };
  let last = 0;
  for (const m of raw.matchAll(PLACEHOLDER)) {
    literal += raw.slice(last, m.index);
    last = (m.index ?? 0) + m[0].length;
    if (m[1]) {
      literal += m[1]; // an escaped backslash stays for the Sigma string parser
    } else if (m[2]) {
      literal += '%';
    } else {
      flush();
      const values = lookup(placeholders, m[3]).map(parseSigmaString);
      const next: SigmaString[] = [];
      for (const a of alternatives) for (const v of values) next.push(concatSigmaStrings(a, v));
      alternatives = next;
    }
  }
  literal += raw.slice(last);
  flush();
  return alternatives;
}

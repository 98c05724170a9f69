/**
 * The Sigma v2.1 modifiers: the known names, which combine, and the checks that make a bad combination a load
 * error with a message that says what to write instead.
 */
import { TIME_PARTS } from './time-parts.js';

export const POSITION_MODIFIERS = ['contains', 'startswith', 'endswith'] as const;
export const ENCODING_MODIFIERS = ['windash', 'base64', 'base64offset', 'utf16le', 'wide', 'utf16be', 'utf16'] as const;
export const COMPARE_MODIFIERS = ['lt', 'lte', 'gt', 'gte'] as const;
export const REGEX_FLAGS = ['i', 'm', 's'] as const;

export const KNOWN_MODIFIERS: ReadonlySet<string> = new Set<string>([
  ...POSITION_MODIFIERS,
  ...ENCODING_MODIFIERS,
  ...COMPARE_MODIFIERS,
  ...REGEX_FLAGS,
  ...TIME_PARTS,
  'all',
  'exists',
  'cased',
  'neq',
  're',
  'cidr',
  'expand',
  'fieldref',
]);

export class ModifierError extends Error {}

function count(mods: readonly string[], set: readonly string[]): number {
  return mods.filter((m) => set.includes(m)).length;
}

/** Throws ModifierError when the modifiers are unknown, repeated or do not combine. */
export function checkModifiers(mods: readonly string[], isKeyword: boolean): void {
  const seen = new Set<string>();
  for (const m of mods) {
    if (!KNOWN_MODIFIERS.has(m)) {
      throw new ModifierError(
        `unknown modifier "${m}" (Sigma v2.1 modifiers: ${[...KNOWN_MODIFIERS].filter((k) => k.length > 1).join(', ')})`,
      );
    }
    if (seen.has(m)) throw new ModifierError(`modifier "${m}" is repeated`);
    seen.add(m);
  }
  const has = (m: string) => seen.has(m);
  const position = count(mods, POSITION_MODIFIERS);
  const compare = count(mods, COMPARE_MODIFIERS);
  const timeParts = count(mods, TIME_PARTS);
  const encodings = count(mods, ENCODING_MODIFIERS);
  if (position > 1) throw new ModifierError('use only one of contains, startswith, endswith');
  if (compare > 1) throw new ModifierError('use only one of lt, lte, gt, gte');
  if (timeParts > 1) throw new ModifierError(`use only one time part (${TIME_PARTS.join(', ')})`);
  for (const f of REGEX_FLAGS) {
    if (has(f) && !has('re')) throw new ModifierError(`modifier "${f}" is a flag of "re": write |re|${f}`);
  }
  const type = ['re', 'cidr', 'exists', 'fieldref'].filter(has);
  if (type.length > 1) throw new ModifierError(`modifiers ${type.join(' and ')} do not combine`);
  if (has('re') && (position || encodings || compare || timeParts || has('expand'))) {
    throw new ModifierError('re takes a regular expression as is: it does not combine with contains/startswith/endswith, encodings, expand or comparisons');
  }
  if (has('cidr') && (position || encodings || compare || timeParts || has('expand') || has('cased'))) {
    throw new ModifierError('cidr takes a network (10.0.0.0/8): it does not combine with string, encoding or comparison modifiers');
  }
  if (has('exists') && mods.length > 1) throw new ModifierError('exists stands alone: write field|exists: true or false');
  if ((compare || timeParts) && (position || encodings || has('expand') || has('fieldref'))) {
    throw new ModifierError('lt/lte/gt/gte and time parts compare numbers: they do not combine with string modifiers');
  }
  if (has('fieldref') && (encodings || has('expand'))) {
    throw new ModifierError('fieldref names another field: it does not combine with encodings or expand');
  }
  if (isKeyword && (has('exists') || has('fieldref') || has('cidr') || compare || timeParts)) {
    throw new ModifierError('a keyword search (no field name) takes only string modifiers');
  }
}

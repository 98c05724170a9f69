/**
 * SPL quoting and escaping, so that no rule value can leave its string or inject a pipe, a subsearch or a macro.
 *
 * - A quoted SPL string (search terms, `IN` lists, eval literals, `regex` patterns) is `"..."` with `\` -> `\\`
 *   and `"` -> `\"` (pySigma's Splunk convention). Splunk expands backtick macros before it parses anything, even
 *   inside quotes, and a conf-file value ends at a newline: such characters can never appear in a quoted string.
 *   `isSearchSafe` tells whether a text can be written as a search literal; the converter sends the others to a
 *   regular expression where they become `\x{hh}` escapes (`regexLiteral`).
 * - Field names: unquoted when they match ^[\w.{}]+$ (search, stats, lookup, rename), else single-quoted in
 *   where/eval (`'name'`, with `'` and `\` escaped); a field name with a backtick or a control character is refused.
 */
import { STAR, ONE, type SigmaString } from '../../sigma/sigma-string.js';
import { SplConversionError } from './errors.js';

const UNSAFE_CHAR = /[`\u0000-\u001f\u007f\u2028\u2029]/;
const PLAIN_FIELD = /^[\w.{}]+$/;

/** true when the text can stand inside a quoted search literal (no backtick, no control or line-break character). */
export function isSearchSafe(text: string): boolean {
  return !UNSAFE_CHAR.test(text);
}

/** A quoted SPL string. The caller guarantees isSearchSafe(text); anything else is a bug and throws. */
export function splString(text: string): string {
  if (!isSearchSafe(text)) throw new SplConversionError(`internal: unsafe text reached splString: ${JSON.stringify(text)}`);
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A field name as written in search / stats / lookup / rename: must match ^[\w.{}]+$. */
export function searchFieldName(name: string): string {
  if (!PLAIN_FIELD.test(name)) throw new SplConversionError(`field name "${name}" cannot be written unquoted in SPL`);
  return name;
}

export function isPlainFieldName(name: string): boolean {
  return PLAIN_FIELD.test(name);
}

/** A field reference inside where / eval: always single-quoted (dots would otherwise concatenate). */
export function evalFieldName(name: string): string {
  if (UNSAFE_CHAR.test(name)) throw new SplConversionError(`field name ${JSON.stringify(name)} has a backtick or a control character: it cannot be used in SPL`);
  return `'${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function hexEscape(ch: string): string {
  return `\\x{${ch.codePointAt(0)!.toString(16)}}`;
}

const REGEX_META = /[\\^$.|?*+()[\]{}/#\s-]/;

/** Escapes plain text for a PCRE pattern; unsafe characters and quotes become \x{hh}. */
export function regexEscapeText(text: string): string {
  let out = '';
  for (const ch of text) {
    if (UNSAFE_CHAR.test(ch) || ch === '"' || ch === "'") out += hexEscape(ch);
    else if (REGEX_META.test(ch)) out += ch === ' ' ? ' ' : `\\${ch}`;
    else out += ch;
  }
  return out;
}

/** A Sigma string (wildcards * and ?) as an anchored PCRE; case-insensitive unless `cased`. */
export function sigmaStringToRegex(s: SigmaString, cased: boolean, anchored = true): string {
  const body = s.map((p) => (p === STAR ? '.*' : p === ONE ? '.' : regexEscapeText(p))).join('');
  return `${cased ? '(?s)' : '(?is)'}${anchored ? `^${body}$` : body}`;
}

/**
 * Makes a rule author's regular expression safe to quote: backticks and control characters (bare or escaped with
 * `\`) become \x{hh}; everything else is kept as written.
 */
export function sanitizeUserRegex(pattern: string): string {
  let out = '';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '\\' && i + 1 < chars.length) {
      const next = chars[i + 1]!;
      out += UNSAFE_CHAR.test(next) ? hexEscape(next) : `\\${next}`;
      i++;
    } else if (UNSAFE_CHAR.test(ch)) {
      out += hexEscape(ch);
    } else {
      out += ch;
    }
  }
  return out;
}

/** A regular expression as a quoted SPL string (for match() and `| regex`); the pattern must be sanitized. */
export function regexLiteral(pattern: string): string {
  return splString(pattern);
}

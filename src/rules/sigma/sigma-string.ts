/**
 * Sigma strings: text with the wildcards `*` (any run) and `?` (one character), and backslash escaping exactly as
 * the specification says: `\*` and `\?` are plain characters, `\\` is one backslash, a `\` before anything else
 * stays a plain backslash (so `\\*` = backslash + wildcard, `\\\*` = backslash + star, `\\\\` = two backslashes).
 * A parsed string is a list of parts: plain text chunks and wildcard markers.
 */

export const STAR = 0;
export const ONE = 1;
export type SigmaPart = string | typeof STAR | typeof ONE;
export type SigmaString = SigmaPart[];

/** Parses a rule value into parts (plain chunks merged, consecutive stars collapsed). */
export function parseSigmaString(raw: string): SigmaString {
  const parts: SigmaString = [];
  let text = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === '\\') {
      const next = raw[i + 1];
      if (next === '*' || next === '?' || next === '\\') {
        text += next;
        i++;
      } else {
        text += '\\';
      }
    } else if (ch === '*' || ch === '?') {
      if (text) parts.push(text);
      text = '';
      pushWildcard(parts, ch === '*' ? STAR : ONE);
    } else {
      text += ch;
    }
  }
  if (text) parts.push(text);
  return parts;
}

function pushWildcard(parts: SigmaString, w: typeof STAR | typeof ONE): void {
  if (w === STAR && parts[parts.length - 1] === STAR) return;
  parts.push(w);
}

/** A plain string (no wildcards) as parts. */
export function plainSigmaString(text: string): SigmaString {
  return text ? [text] : [];
}

export function hasWildcards(s: SigmaString): boolean {
  return s.some((p) => typeof p !== 'string');
}

/** The text of a string without wildcards. */
export function plainText(s: SigmaString): string {
  return (s as string[]).join('');
}

/** Concatenates strings, merging adjacent text and collapsing stars. */
export function concatSigmaStrings(...strings: SigmaString[]): SigmaString {
  const out: SigmaString = [];
  for (const s of strings) {
    for (const p of s) {
      const last = out[out.length - 1];
      if (typeof p === 'string') {
        if (typeof last === 'string') out[out.length - 1] = last + p;
        else if (p) out.push(p);
      } else {
        pushWildcard(out, p);
      }
    }
  }
  return out;
}

/** Renders back to Sigma text (escaping), for messages and converters. */
export function formatSigmaString(s: SigmaString): string {
  return s
    .map((p) => (p === STAR ? '*' : p === ONE ? '?' : p.replace(/\\(?=[*?\\]|$)|[*?]/g, (m) => `\\${m}`)))
    .join('');
}

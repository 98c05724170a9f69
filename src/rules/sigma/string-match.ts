/**
 * Compiles a Sigma string (parts with wildcards) into a string test, once per rule value. Literal shapes use
 * string methods (equals, startsWith, endsWith, includes) on precomputed lowercase text; only strings with
 * inner wildcards or `?` become an anchored RegExp. Case-insensitive unless `cased`.
 */
import { lowerCached } from './lowercase.js';
import { ONE, STAR, type SigmaString } from './sigma-string.js';

export type StringTest = (value: string) => boolean;

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The RegExp source (anchored) of a Sigma string. */
export function sigmaStringToRegExpSource(s: SigmaString): string {
  let src = '^';
  for (const p of s) src += p === STAR ? '[\\s\\S]*' : p === ONE ? '[\\s\\S]' : escapeRegExp(p);
  return `${src}$`;
}

export function compileStringTest(s: SigmaString, cased: boolean): StringTest {
  const n = s.length;
  // '' (empty) and '*'
  if (n === 0) return (v) => v.length === 0;
  if (n === 1 && s[0] === STAR) return () => true;
  const literalShape =
    (n === 1 && typeof s[0] === 'string') ||
    (n === 2 && ((s[0] === STAR && typeof s[1] === 'string') || (typeof s[0] === 'string' && s[1] === STAR))) ||
    (n === 3 && s[0] === STAR && typeof s[1] === 'string' && s[2] === STAR);
  if (!literalShape) {
    const re = new RegExp(sigmaStringToRegExpSource(s), cased ? '' : 'i');
    return (v) => re.test(v);
  }
  const mode = n === 1 ? 'eq' : n === 3 ? 'contains' : s[0] === STAR ? 'ends' : 'starts';
  const text = (n === 1 ? s[0] : n === 3 ? s[1] : s[0] === STAR ? s[1] : s[0]) as string;
  if (cased) {
    switch (mode) {
      case 'eq':
        return (v) => v === text;
      case 'starts':
        return (v) => v.startsWith(text);
      case 'ends':
        return (v) => v.endsWith(text);
      default:
        return (v) => v.includes(text);
    }
  }
  const lower = text.toLowerCase();
  // with an ASCII literal, a value whose lowercase form matches has at least as many characters (see README)
  const minLen = ASCII.test(lower) ? lower.length : 0;
  const exactLen = ASCII.test(lower) ? lower.length : -1;
  switch (mode) {
    case 'eq':
      return exactLen >= 0
        ? (v) => v.length === exactLen && (v === text || lowerCached(v) === lower)
        : (v) => lowerCached(v) === lower;
    case 'starts':
      return exactLen >= 0
        ? (v) => v.length >= exactLen && v.slice(0, exactLen).toLowerCase() === lower
        : (v) => lowerCached(v).startsWith(lower);
    case 'ends':
      return exactLen >= 0
        ? (v) => v.length >= exactLen && v.slice(v.length - exactLen).toLowerCase() === lower
        : (v) => lowerCached(v).endsWith(lower);
    default:
      return (v) => v.length >= minLen && lowerCached(v).includes(lower);
  }
}

/** The text a leaf value is matched as: numbers and booleans as written, objects as JSON; null never matches text. */
export function leafText(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      return value === null ? undefined : JSON.stringify(value);
    default:
      return undefined;
  }
}

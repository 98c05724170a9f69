/**
 * The Sigma transformation modifiers that rewrite a value before it is matched: windash, utf16le/wide, utf16be,
 * utf16, base64, base64offset. A value is either a Sigma string (may hold wildcards) or bytes (after a utf16
 * modifier); encodings need a value without wildcards, as pySigma requires (put `contains` after them).
 */
import { hasWildcards, ONE, plainSigmaString, plainText, STAR, type SigmaString } from './sigma-string.js';

export type TransformValue = { kind: 'string'; s: SigmaString } | { kind: 'bytes'; b: Buffer };

export class TransformError extends Error {}

const DASHES = ['-', '/', '\u2013', '\u2014', '\u2015'];
const DASH_AT_FLAG = /(?<![\w])[-/\u2013\u2014\u2015](?=\w)/g;
const MAX_WINDASH_POSITIONS = 6;

/** windash: every `-` `/` `–` `—` `―` that starts a command-line flag (not after a word character) may be any of them. */
export function windash(s: SigmaString): SigmaString[] {
  // positions are found per text chunk; a chunk boundary with a wildcard counts as a non-word character
  const variantsPerPart: string[][] = [];
  let positions = 0;
  for (const p of s) {
    if (typeof p !== 'string') {
      variantsPerPart.push([]);
      continue;
    }
    const idx: number[] = [];
    for (const m of p.matchAll(DASH_AT_FLAG)) idx.push(m.index ?? 0);
    positions += idx.length;
    if (positions > MAX_WINDASH_POSITIONS) {
      throw new TransformError(
        `windash: the value has more than ${MAX_WINDASH_POSITIONS} dashes (${5 ** positions} variants); split it or use re`,
      );
    }
    let variants = [p];
    for (const at of idx) {
      const next: string[] = [];
      for (const v of variants) for (const d of DASHES) next.push(v.slice(0, at) + d + v.slice(at + 1));
      variants = next;
    }
    variantsPerPart.push(variants);
  }
  let out: SigmaString[] = [[]];
  s.forEach((p, i) => {
    if (typeof p !== 'string') {
      out = out.map((o) => [...o, p]);
      return;
    }
    const next: SigmaString[] = [];
    for (const o of out) for (const v of variantsPerPart[i]) next.push([...o, v]);
    out = next;
  });
  return out;
}

function requirePlain(v: TransformValue, modifier: string): Buffer | string {
  if (v.kind === 'bytes') return v.b;
  if (hasWildcards(v.s)) {
    const w = v.s.some((p) => p === STAR) ? '*' : v.s.some((p) => p === ONE) ? '?' : '';
    throw new TransformError(
      `${modifier} cannot encode a value with the wildcard "${w}": put contains/startswith/endswith after ${modifier}, or escape it (\\${w})`,
    );
  }
  return plainText(v.s);
}

function toBytes(v: Buffer | string): Buffer {
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
}

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  for (let i = 0; i + 1 < le.length; i += 2) {
    const t = le[i];
    le[i] = le[i + 1];
    le[i + 1] = t;
  }
  return le;
}

/** Applies one transformation modifier to a value; may expand it into several (base64offset: 3). */
export function applyEncoding(modifier: string, v: TransformValue): TransformValue[] {
  switch (modifier) {
    case 'utf16le':
    case 'wide': {
      const p = requirePlain(v, modifier);
      return [{ kind: 'bytes', b: typeof p === 'string' ? Buffer.from(p, 'utf16le') : p }];
    }
    case 'utf16be': {
      const p = requirePlain(v, modifier);
      return [{ kind: 'bytes', b: typeof p === 'string' ? utf16be(p) : p }];
    }
    case 'utf16': {
      const p = requirePlain(v, modifier);
      const body = typeof p === 'string' ? Buffer.from(p, 'utf16le') : p;
      return [{ kind: 'bytes', b: Buffer.concat([Buffer.from([0xff, 0xfe]), body]) }];
    }
    case 'base64': {
      const bytes = toBytes(requirePlain(v, modifier));
      return [{ kind: 'string', s: plainSigmaString(bytes.toString('base64')) }];
    }
    case 'base64offset': {
      const bytes = toBytes(requirePlain(v, modifier));
      // the three shifts: the stable middle of the encoding of the value placed at offset 0, 1 or 2 of a 3-byte group
      const start = [0, 2, 3];
      const end = [0, -3, -2];
      const out: TransformValue[] = [];
      for (let i = 0; i < 3; i++) {
        const enc = Buffer.concat([Buffer.alloc(i, 0x20), bytes]).toString('base64');
        const e = end[(bytes.length + i) % 3];
        out.push({ kind: 'string', s: plainSigmaString(enc.slice(start[i], e === 0 ? undefined : enc.length + e)) });
      }
      return out;
    }
    default:
      throw new TransformError(`${modifier} is not an encoding modifier`);
  }
}

/** A value after its encodings, as a Sigma string (bytes are read as latin1: one character per byte). */
export function asSigmaString(v: TransformValue): SigmaString {
  return v.kind === 'string' ? v.s : plainSigmaString(v.b.toString('latin1'));
}

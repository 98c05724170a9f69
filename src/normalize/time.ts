/**
 * Record time -> epoch milliseconds, always UTC. Accepts ISO 8601 with any number of fractional digits
 * ("2019-03-12T16:02:15.5522137Z"), "+00:00" style offsets, no zone (taken as UTC, as portal CSVs are),
 * a space instead of "T", the US style "1/9/2007 9:41:00 AM" (UTC), and epoch numbers (seconds or ms).
 * Date.parse is not used for these: it reads zone-less and US-style strings as LOCAL time.
 */

const ISO = /^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?\s*$/i;
const US = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4}),?(?:\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*([AP]\.?M\.?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?\s*$/i;

function millisOfFraction(fraction: string | undefined): number {
  if (!fraction) return 0;
  return Number((fraction + '00').slice(0, 3));
}

function offsetMinutes(zone: string | undefined): number {
  if (!zone || zone === 'Z' || zone === 'z' || zone.toUpperCase() === 'UTC') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
}

function valid(ms: number, y: number, mo: number, d: number, h: number, mi: number, s: number): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  void y;
  return Number.isFinite(ms) ? ms : undefined;
}

/** Two ASCII digits at `i` as a number, or -1. */
function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * The shape nearly every record has, read without a regex: "YYYY-MM-DDTHH:MM:SS[.fff...](Z|+HH:MM|-HH:MM)".
 * Returns null when the string is not exactly that shape (the general parser then decides), else what the
 * general parser would return for it.
 */
function parseCommonIso(v: string): number | undefined | null {
  const n = v.length;
  if (n < 20 || v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45 || v.charCodeAt(10) !== 84 || v.charCodeAt(13) !== 58 ||
    v.charCodeAt(16) !== 58) return null;
  const y1 = two(v, 0);
  const y2 = two(v, 2);
  const mo = two(v, 5);
  const d = two(v, 8);
  const h = two(v, 11);
  const mi = two(v, 14);
  const s = two(v, 17);
  if (y1 < 0 || y2 < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) return null;
  let i = 19;
  let millis = 0;
  if (v.charCodeAt(i) === 46) {
    i++;
    const start = i;
    while (i < n) {
      const c = v.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      if (i - start < 3) millis = millis * 10 + c;
      i++;
    }
    const digits = i - start;
    if (digits === 0) return null;
    if (digits === 1) millis *= 100;
    else if (digits === 2) millis *= 10;
  }
  let offset = 0;
  const z = v.charCodeAt(i);
  if (z === 90 && i + 1 === n) {
    offset = 0;
  } else if ((z === 43 || z === 45) && i + 6 === n && v.charCodeAt(i + 3) === 58) {
    const oh = two(v, i + 1);
    const om = two(v, i + 4);
    if (oh < 0 || om < 0) return null;
    offset = (z === 45 ? -1 : 1) * (oh * 60 + om);
  } else {
    return null;
  }
  const y = y1 * 100 + y2;
  const ms = startOfDay(y, mo, d) + h * 3_600_000 + mi * 60_000 + s * 1000 + millis - offset * 60_000;
  return valid(ms, y, mo, d, h, mi, s);
}

/**
 * Date.UTC(y, mo - 1, d) of the last day asked for: records come in time order, so nearly every record of a batch
 * falls on the day of the one before and Date.UTC (the costly part of reading a time) runs once a day. Adding the
 * time of day to it gives exactly Date.UTC(y, mo - 1, d, h, mi, s, ms) (integer arithmetic, far below 2^53; a
 * 4-digit year never reaches the TimeClip limit), overflowing days and seconds included.
 */
let cachedDayKey = -1;
let cachedDayStart = 0;

function startOfDay(y: number, mo: number, d: number): number {
  const key = (y * 100 + mo) * 100 + d;
  if (key !== cachedDayKey) {
    cachedDayStart = Date.UTC(y, mo - 1, d);
    cachedDayKey = key;
  }
  return cachedDayStart;
}

export function parseRecordTime(value: unknown): number | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) return undefined;
    return value < 1e11 ? Math.round(value * 1000) : Math.round(value);
  }
  if (typeof value !== 'string' || value.length === 0) return undefined;
  const common = parseCommonIso(value);
  if (common !== null) return common;
  let m = ISO.exec(value);
  if (m) {
    const [y, mo, d, h, mi, s] = [+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)];
    const ms = Date.UTC(y, mo - 1, d, h, mi, s, millisOfFraction(m[7])) - offsetMinutes(m[8]) * 60_000;
    return valid(ms, y, mo, d, h, mi, s);
  }
  m = US.exec(value);
  if (m) {
    let h = +(m[4] ?? 0);
    const ampm = m[8]?.[0]?.toUpperCase();
    if (ampm === 'P' && h < 12) h += 12;
    if (ampm === 'A' && h === 12) h = 0;
    const [mo, d, y, mi, s] = [+m[1], +m[2], +m[3], +(m[5] ?? 0), +(m[6] ?? 0)];
    const ms = Date.UTC(y, mo - 1, d, h, mi, s, millisOfFraction(m[7])) - offsetMinutes(m[9]) * 60_000;
    return valid(ms, y, mo, d, h, mi, s);
  }
  // RFC 2822 and other forms with an explicit zone
  if (/(?:GMT|UTC|Z|[+-]\d{2}:?\d{2})\s*$/i.test(value)) {
    const ms = Date.parse(value);
    return Number.isFinite(ms) ? ms : undefined;
  }
  return undefined;
}

/**
 * The Sigma 2.1 time-part modifiers minute, hour, day, week (ISO 8601), month, year: the part of the field's
 * date value, in UTC. Dates are ISO strings (or anything Date.parse reads) or epoch numbers (milliseconds;
 * values below 1e11 are taken as seconds).
 */

export const TIME_PARTS = ['minute', 'hour', 'day', 'week', 'month', 'year'] as const;
export type TimePart = (typeof TIME_PARTS)[number];

function toEpochMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? (Math.abs(value) < 1e11 ? value * 1000 : value) : undefined;
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  if (value instanceof Date) return value.getTime();
  return undefined;
}

function isoWeek(d: Date): number {
  const day = d.getUTCDay() || 7;
  const thursday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(new Date(thursday).getUTCFullYear(), 0, 1);
  return Math.ceil(((thursday - yearStart) / 86_400_000 + 1) / 7);
}

/** The time part of a date value, or undefined when it is not a date. */
export function timePart(part: TimePart, value: unknown): number | undefined {
  const ms = toEpochMs(value);
  if (ms === undefined) return undefined;
  const d = new Date(ms);
  switch (part) {
    case 'minute':
      return d.getUTCMinutes();
    case 'hour':
      return d.getUTCHours();
    case 'day':
      return d.getUTCDate();
    case 'week':
      return isoWeek(d);
    case 'month':
      return d.getUTCMonth() + 1;
    case 'year':
      return d.getUTCFullYear();
  }
}

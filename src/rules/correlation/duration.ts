/**
 * Sigma durations (`timespan: 10m`): a whole number and one lowercase unit, s m h d. Returns milliseconds.
 */
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `Ns|Nm|Nh|Nd` into milliseconds; returns undefined when the text is not such a duration. */
export function parseDuration(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^(\d+)([smhd])$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  if (!Number.isSafeInteger(n) || n <= 0) return undefined;
  return n * UNIT_MS[m[2]!]!;
}

/** Formats milliseconds back to the largest exact Sigma unit (for messages and docs). */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = UNIT_MS[unit]!;
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/**
 * Hour of week (0..167, Monday 00h = 0) of an epoch-ms time in a time zone: the `@hour_of_week` value of
 * first_seen and the slot of the baseline correlation. Cached per UTC hour (zones differ from UTC by whole or
 * half hours, so the cache keys on the 15-minute step to stay exact).
 */
const WEEKDAYS: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

export class HourOfWeek {
  private readonly format: Intl.DateTimeFormat | null;
  private readonly cache = new Map<number, number>();

  constructor(readonly timeZone = 'UTC') {
    this.format =
      timeZone === 'UTC'
        ? null
        : new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: 'numeric', hourCycle: 'h23' });
  }

  of(time: number): number {
    if (this.format === null) {
      const d = new Date(time);
      return ((d.getUTCDay() + 6) % 7) * 24 + d.getUTCHours();
    }
    const step = Math.floor(time / 900_000);
    const hit = this.cache.get(step);
    if (hit !== undefined) return hit;
    let weekday = 0;
    let hour = 0;
    for (const part of this.format.formatToParts(new Date(step * 900_000))) {
      if (part.type === 'weekday') weekday = WEEKDAYS[part.value] ?? 0;
      else if (part.type === 'hour') hour = Number(part.value) % 24;
    }
    const how = weekday * 24 + hour;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(step, how);
    return how;
  }

  /** "Tue 03h" for evidence */
  static label(how: number): string {
    const day = Object.keys(WEEKDAYS)[Math.floor(how / 24)] ?? '?';
    return `${day} ${String(how % 24).padStart(2, '0')}h`;
  }
}

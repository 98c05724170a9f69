/**
 * AP-1: `entrawatch.outside_working_hours` (true / false) for application and service-principal audit records
 * (the activities of credential changes), from the event time and `rules.workingHours` (days, start, end, time
 * zone). Other records are left alone so the many B2C token-issuance records cost nothing.
 */
import type { EntraEvent } from '../../normalize/event.js';
import type { WeekDay } from './config.js';
import { activityOf, setDerived } from './record.js';

const DAY_INDEX: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

export interface WorkingHours {
  days: readonly WeekDay[];
  start: string;
  end: string;
  timeZone: string;
}

function minutesOf(clock: string): number {
  const [h, m] = clock.split(':').map(Number);
  return h * 60 + m;
}

/** Returns a predicate: is this epoch-ms time outside the working hours? */
export function compileWorkingHours(hours: WorkingHours): (time: number) => boolean {
  const days = new Set(hours.days.map((d) => DAY_INDEX[d]));
  const start = minutesOf(hours.start);
  const end = minutesOf(hours.end);
  const utc = hours.timeZone.toUpperCase() === 'UTC' || hours.timeZone === 'Etc/UTC';
  const format = utc
    ? undefined
    : new Intl.DateTimeFormat('en-US', {
        timeZone: hours.timeZone,
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      });
  const weekdays: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
  return (time) => {
    let day: number;
    let minute: number;
    if (!format) {
      const d = new Date(time);
      day = d.getUTCDay();
      minute = d.getUTCHours() * 60 + d.getUTCMinutes();
    } else {
      const parts = format.formatToParts(new Date(time));
      const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
      day = weekdays[get('weekday')] ?? 0;
      minute = Number(get('hour')) * 60 + Number(get('minute'));
    }
    const inside = days.has(day) && minute >= start && minute < end;
    return !inside;
  };
}

export function createWorkingHoursEnricher(hours: WorkingHours): (event: EntraEvent) => void {
  const outside = compileWorkingHours(hours);
  return (event) => {
    if (event.kind !== 'audit') return;
    const activity = activityOf(event);
    if (!activity.includes('application') && !activity.includes('service principal')) return;
    setDerived(event, 'outside_working_hours', outside(event.time));
  };
}

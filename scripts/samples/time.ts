/**
 * Event times of the samples: epoch milliseconds plus the 100-ns ticks below the millisecond, so that `time`
 * strings carry the 7 fractional digits Azure Monitor writes ("2026-11-02T13:45:12.1234567Z").
 */
import type { Rng } from './prng.js';

export interface Instant {
  /** epoch milliseconds */
  ms: number;
  /** 100-ns ticks inside the millisecond, 0..9999 */
  ticks: number;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Midnight UTC of an ISO date ("2026-11-02"). */
export function dayStart(isoDate: string): number {
  return Date.parse(`${isoDate}T00:00:00.000Z`);
}

export function instantAt(ms: number, rng: Rng): Instant {
  return { ms: Math.floor(ms), ticks: rng.int(0, 9999) };
}

function fraction7(at: Instant): string {
  const ms = ((at.ms % 1000) + 1000) % 1000;
  return String(ms).padStart(3, '0') + String(at.ticks).padStart(4, '0');
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/** "2026-11-02T13:45:12.1234567Z" (the top-level `time` of a diagnostic-settings record). */
export function formatTime7(at: Instant): string {
  return `${isoSeconds(at.ms)}.${fraction7(at)}Z`;
}

/** "2026-11-02T13:45:12.1234567+00:00" (properties.createdDateTime / activityDateTime). */
export function formatOffsetTime7(at: Instant): string {
  return `${isoSeconds(at.ms)}.${fraction7(at)}+00:00`;
}

/** "2026-11-02T13:45:12Z" (Graph JSON and portal CSV). */
export function formatSeconds(at: Instant): string {
  return `${isoSeconds(at.ms)}Z`;
}

export function compareInstants(a: Instant, b: Instant): number {
  return a.ms - b.ms || a.ticks - b.ticks;
}

/**
 * The learning history written before the sample day (samples/eventhubs/history-*.json.gz), read first:
 * - 14 days of sign-ins of the privileged accounts (weekdays, every working hour 08:00-17:59 seen at least once,
 *   from the offices with approved devices), so that PA-9's per-account hour-of-week baseline is learned;
 * - the last 6 hours of the day before on the guide apps, at the steady rate, so that the CA-7 / CA-9 rate
 *   windows of the first hours of the sample day have their previous 6 hours.
 */
import { adminSignIn, type Context } from './context.js';
import { fillSteadyGuideTraffic } from './steady-traffic.js';
import { DAY, HOUR, MINUTE, instantAt } from './time.js';
import { APPS, OFFICE_PLACES, WORKING_ADMINS } from './world.js';

export const HISTORY_DAYS = 14;

export function generateHistory(ctx: Context): { from: number; to: number } {
  const rng = ctx.rng('history');
  const from = ctx.day0 - HISTORY_DAYS * DAY;
  for (let d = 0; d < HISTORY_DAYS; d++) {
    const dayStart = from + d * DAY;
    const weekday = new Date(dayStart).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    for (const account of WORKING_ADMINS) {
      for (let hh = 8; hh <= 17; hh++) {
        const sessions = rng.chance(0.3) ? 2 : 1;
        for (let s = 0; s < sessions; s++) {
          adminSignIn(ctx, rng, 'history', {
            account, at: instantAt(dayStart + hh * HOUR + rng.int(0, 59) * MINUTE + rng.int(0, 59_999), rng),
            place: rng.chance(0.7) ? OFFICE_PLACES.seattle : OFFICE_PLACES.toronto,
            app: rng.chance(0.8) ? APPS.azurePortal : APPS.azurePowerShell,
          }, false);
        }
      }
    }
  }
  fillSteadyGuideTraffic(ctx, { from: ctx.day0 - 6 * HOUR, hours: 6, stream: 'history', planted: false, withAudits: false });
  return { from, to: ctx.day0 };
}

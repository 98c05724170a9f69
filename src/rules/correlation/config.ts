/**
 * Config section of the correlation engine (`rules.correlation` in entrawatch.yaml) and the per-rule overrides
 * (`rules.overrides`). The lead composes these into the root schema.
 */
import { z } from 'zod';
import { parseDuration } from './duration.js';
import { ruleOverridesSchema } from './overrides.js';

const durationString = (key: string) =>
  z.string().refine((v) => parseDuration(v) !== undefined, {
    message: `${key} must be a duration such as 10m, 1h or 7d (a whole number and one unit s, m, h, d)`,
  });

export const correlationConfigSchema = z
  .object({
    allowedLateness: durationString('rules.correlation.allowedLateness')
      .default('10m')
      .describe('how late (event time) an event may arrive and still count in its window'),
    timeZone: z
      .string()
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, { message: 'rules.correlation.timeZone must be an IANA time zone such as UTC or Europe/Berlin' })
      .default('UTC')
      .describe('time zone of @hour_of_week (first_seen) and of the baseline hour of week'),
    useIndex: z.boolean().default(true).describe('pick candidate rules per event with the rule index'),
  })
  .describe('correlation engine settings');

export type CorrelationConfig = z.infer<typeof correlationConfigSchema>;

export { ruleOverridesSchema };

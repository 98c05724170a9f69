/**
 * Config of the rule enrichers and detection hooks (keys of the `rules:` section of entrawatch.yaml:
 * `workingHours`, `bl1`, `permissions`, `redirectUris`, `danglingUri`). The lead composes this schema into the
 * root schema; `createEnrichers` / `createDetectionHooks` parse their input through it to apply the defaults.
 */
import { z } from 'zod';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeekDay = (typeof DAYS)[number];

const clock = (key: string) =>
  z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, { message: `${key} must be a time of day HH:MM such as 07:00 or 19:00` });

const validRegex = (v: string) => {
  try {
    new RegExp(v);
    return true;
  } catch {
    return false;
  }
};

export const workingHoursConfigSchema = z
  .object({
    days: z
      .array(z.enum(DAYS, { message: 'rules.workingHours.days lists days as mon, tue, wed, thu, fri, sat, sun' }))
      .default(['mon', 'tue', 'wed', 'thu', 'fri'])
      .describe('working days'),
    start: clock('rules.workingHours.start').default('07:00').describe('start of the working day (inclusive)'),
    end: clock('rules.workingHours.end').default('19:00').describe('end of the working day (exclusive)'),
    timeZone: z
      .string()
      .refine(
        (tz) => {
          try {
            new Intl.DateTimeFormat('en-US', { timeZone: tz });
            return true;
          } catch {
            return false;
          }
        },
        { message: 'rules.workingHours.timeZone must be an IANA time zone such as UTC or Europe/Berlin' },
      )
      .default('UTC')
      .describe('time zone of the working hours'),
  })
  .describe('AP-1: business hours; entrawatch.outside_working_hours is true outside them');

export const bl1ConfigSchema = z
  .object({
    upnPattern: z
      .string()
      .refine(validRegex, { message: 'rules.bl1.upnPattern must be a valid regular expression (JavaScript syntax)' })
      .optional()
      .describe('BL-1: regular expression (case-insensitive) every new consumer account UPN must match'),
    requiredAttributes: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'BL-1: attributes "Add user" must set, e.g. extension_CustomerNumber (matched as a modified property whose ' +
          'name contains CustomerNumber, as in extension_<app id>_CustomerNumber)',
      ),
  })
  .describe('BL-1: consumer account standards');

export const DEFAULT_HIGH_PRIVILEGE_SCOPES = [
  '*.All',
  'Mail.*',
  'MailboxSettings.ReadWrite',
  'full_access_as_app',
  'full_access_as_user',
  'Exchange.ManageAsApp',
  'RoleManagement.ReadWrite.Directory',
  'Application.ReadWrite.OwnedBy',
];

export const permissionsConfigSchema = z
  .object({
    highPrivilegeScopes: z
      .array(z.string().min(1))
      .default(DEFAULT_HIGH_PRIVILEGE_SCOPES)
      .describe('AP-3/4/6: permission names or patterns (* = any run) counted as highly privileged'),
    sensitiveResources: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'AP-4/5/6: extra sensitive APIs (display names or app ids) besides Microsoft Graph, Exchange Online, ' +
          'SharePoint Online and Windows Azure Active Directory',
      ),
  })
  .describe('AP-3..6: permission grant analysis');

export const REDIRECT_URI_ISSUES = ['not_https', 'wildcard', 'localhost', 'not_unique', 'uncontrolled_domain'] as const;
export type RedirectUriIssue = (typeof REDIRECT_URI_ISSUES)[number];

export const redirectUrisConfigSchema = z
  .object({
    memorySize: z
      .number()
      .int()
      .positive()
      .default(50_000)
      .describe('AP-9: redirect URIs remembered (per worker, LRU) to find URIs shared by several apps'),
    ignoreIssues: z
      .array(z.enum(REDIRECT_URI_ISSUES))
      .default([])
      .describe('AP-9: issue kinds not reported, e.g. [localhost]'),
  })
  .describe('AP-9: redirect URI analysis');

export const danglingUriConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe('AP-8: resolve app address hosts in DNS'),
    timeoutMs: z.number().int().positive().default(3000).describe('AP-8: DNS timeout per host, ms'),
    cacheSize: z.number().int().positive().default(10_000).describe('AP-8: hosts cached'),
    cacheTtlMs: z.number().int().positive().default(3_600_000).describe('AP-8: how long a DNS answer is cached, ms'),
    servers: z.array(z.string()).optional().describe('AP-8: DNS servers (default: the system resolvers)'),
    onLookupError: z
      .enum(['keep', 'drop'])
      .default('keep')
      .describe('AP-8: when DNS cannot answer (timeout, no network): keep the detection (marked) or drop it'),
    rules: z
      .array(z.string())
      .default(['ap8_dangling_redirect_uri'])
      .describe('AP-8: names of the rules whose detections are checked in DNS'),
  })
  .describe('AP-8: dangling URI detection hook');

export const ruleEnrichmentConfigSchema = z
  .object({
    workingHours: workingHoursConfigSchema.default(workingHoursConfigSchema.parse({})),
    bl1: bl1ConfigSchema.default(bl1ConfigSchema.parse({})),
    permissions: permissionsConfigSchema.default(permissionsConfigSchema.parse({})),
    redirectUris: redirectUrisConfigSchema.default(redirectUrisConfigSchema.parse({})),
    danglingUri: danglingUriConfigSchema.default(danglingUriConfigSchema.parse({})),
  })
  .describe('enrichers and detection hooks of the guide rules (src/rules/enrich)');

export type RuleEnrichmentConfig = z.infer<typeof ruleEnrichmentConfigSchema>;
export type RuleEnrichmentConfigInput = z.input<typeof ruleEnrichmentConfigSchema>;

/** What createEnrichers / createDetectionHooks take: the rules section (or part of it) plus the placeholders. */
export interface EnrichmentOptions extends RuleEnrichmentConfigInput {
  /** Sigma placeholders (`placeholders:` of entrawatch.yaml): name -> values */
  placeholders?: Record<string, readonly string[]>;
}

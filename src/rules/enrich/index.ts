/**
 * Enrichers and detection hooks of the guide rules. `createEnrichers(config)` returns pure per-event functions
 * that add derived fields under `event.fields.entrawatch.*` (matched by rules in rules/); the RuleEngine runs them
 * before matching (`enrichers` option). `createDetectionHooks(config)` returns the async hooks run on detections
 * before they are emitted (`detectionHooks` option): the AP-8 DNS check.
 *
 * | field | rows | module |
 * |---|---|---|
 * | granted_scopes, app_roles, high_privilege_scopes, consent_type, sensitive_resource | AP-3..6 | permissions.ts |
 * | redirect_uris_added/removed, redirect_uri_findings, redirect_uri_issues, redirect_hosts | AP-8, AP-9 | redirect-uris.ts |
 * | logout_url, logout_url_issues | AP-12 | logout-url.ts |
 * | outside_working_hours | AP-1 | working-hours.ts |
 * | unapproved_controls | PA-8 | sign-in-controls.ts |
 * | bl1_violations, policy_id, account_org_domain(s) | BL-1..3 | account-standards.ts |
 */
import type { EntraEvent } from '../../normalize/event.js';
import { ConfigError } from '../../errors.js';
import { ruleEnrichmentConfigSchema, type EnrichmentOptions, type RuleEnrichmentConfig } from './config.js';
import { createAccountStandardsEnricher } from './account-standards.js';
import { createDanglingUriHook, type DetectionHook, type HostResolver } from './dangling-uri.js';
import { createLogoutUrlEnricher } from './logout-url.js';
import { createPermissionEnricher } from './permissions.js';
import { placeholderSet } from './record.js';
import { RedirectUriEnricher } from './redirect-uris.js';
import { createSignInControlsEnricher } from './sign-in-controls.js';
import { createWorkingHoursEnricher } from './working-hours.js';

export type Enricher = (event: EntraEvent) => void;
export type { DetectionHook, HostResolver } from './dangling-uri.js';
export { ruleEnrichmentConfigSchema } from './config.js';
export type { EnrichmentOptions, RuleEnrichmentConfig } from './config.js';

function parseConfig(options: EnrichmentOptions): RuleEnrichmentConfig {
  const { placeholders: _placeholders, ...rest } = options;
  const result = ruleEnrichmentConfigSchema.safeParse(rest);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ConfigError(`rules.${issue.path.join('.')}`, issue.message);
  }
  return result.data;
}

export function createEnrichers(options: EnrichmentOptions = {}): Enricher[] {
  const config = parseConfig(options);
  const controlled = placeholderSet(options.placeholders, 'controlled_domains');
  const redirects = new RedirectUriEnricher(controlled, config.redirectUris);
  return [
    createPermissionEnricher(config.permissions),
    redirects.enrich,
    createLogoutUrlEnricher(controlled),
    createWorkingHoursEnricher(config.workingHours),
    createSignInControlsEnricher(options.placeholders),
    createAccountStandardsEnricher(config.bl1),
  ];
}

export function createDetectionHooks(
  options: EnrichmentOptions = {},
  injected: { resolver?: HostResolver; now?: () => number } = {},
): DetectionHook[] {
  const config = parseConfig(options);
  if (!config.danglingUri.enabled) return [];
  return [createDanglingUriHook({ ...config.danglingUri, ...injected })];
}

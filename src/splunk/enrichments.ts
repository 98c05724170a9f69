/**
 * SPL definitions of the `entrawatch_enrich_<name>` macros: the stream's enricher fields (`entrawatch.<name>`,
 * src/rules/enrich) recomputed at search time from the raw azure:monitor:aad record as `entrawatch_<name>`.
 * They are best-effort approximations, documented in splunk-app/README.md: the stream engine is exact; here
 * - redirect URIs and sign-out URLs are read from the new value as logged (no "added minus removed" diff, no
 *   cross-application uniqueness check: `not_unique` is never set);
 * - AP-8's DNS check cannot run in SPL: `entrawatch_redirect_hosts` lists hosts outside `controlled_domains`;
 * - working hours use the time zone of the search owner (set it to rules.workingHours.timeZone);
 * - modifiedProperties names and values are paired by position (Splunk flattens the arrays separately).
 * Every macro only adds fields (eval / rex / lookup), so it can run in any order, and reads lookups the app ships.
 */
import { DEFAULT_HIGH_PRIVILEGE_SCOPES } from '../rules/enrich/config.js';
import { SENSITIVE_APIS } from '../rules/enrich/permissions.js';

export interface EnrichmentSettings {
  workingHours: { days: string[]; start: string; end: string; timeZone: string };
  bl1: { upnPattern?: string; requiredAttributes: string[] };
  highPrivilegeScopes: string[];
  sensitiveResources: string[];
}

export const DEFAULT_ENRICHMENT_SETTINGS: EnrichmentSettings = {
  workingHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '07:00', end: '19:00', timeZone: 'UTC' },
  bl1: { requiredAttributes: [] },
  highPrivilegeScopes: [...DEFAULT_HIGH_PRIVILEGE_SCOPES],
  sensitiveResources: [],
};

/** A quoted eval string; the inputs come from the operator's config and are escaped like rule values. */
function q(text: string): string {
  if (/[`\u0000-\u001f\u007f]/.test(text)) throw new Error(`config value ${JSON.stringify(text)} has a backtick or a control character`);
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function regexEscape(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/** `*.All` -> `.*\.All` (case-insensitive alternation of scope patterns). */
function scopeRegex(patterns: string[]): string {
  return `(?i)^(${patterns.map((p) => p.split('*').map(regexEscape).join('.*')).join('|')})$`;
}

/** The new value of a modified property named `name` (by position), JSON quotes and brackets stripped. */
function modifiedValue(name: string, side: 'newValue' | 'oldValue'): string {
  return `mvindex('properties.targetResources{}.modifiedProperties{}.${side}', mvfind('properties.targetResources{}.modifiedProperties{}.displayName', ${q(`(?i)^${regexEscape(name)}$`)}))`;
}

/** Host of each URL in a field -> its domain and parent domains, then the controlled_domains lookup. */
function hostsOf(urlsField: string, prefix: string): string[] {
  return [
    `eval ${prefix}_host=lower(mvmap(${urlsField}, replace(${urlsField}, "^[A-Za-z][A-Za-z0-9+.-]*://([^/:?#]*).*$", "\\1")))`,
    `eval ${prefix}_domains=mvdedup(mvappend(${prefix}_host, mvmap(${prefix}_host, replace(${prefix}_host, "^[^.]+\\.(.+\\..+)$", "\\1")), mvmap(${prefix}_host, replace(${prefix}_host, "^[^.]+\\.[^.]+\\.(.+\\..+)$", "\\1"))))`,
    `lookup entrawatch_controlled_domains value AS ${prefix}_domains OUTPUT value AS ${prefix}_controlled`,
  ];
}

/** name -> definition (the macro body, commands joined by ` | `, no leading pipe). */
export function enrichmentMacros(settings: EnrichmentSettings = DEFAULT_ENRICHMENT_SETTINGS): Record<string, { definition: string; description: string }> {
  const wh = settings.workingHours;
  const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].filter((d) => wh.days.includes(d)).map((d) => q(d[0]!.toUpperCase() + d.slice(1)));
  const hhmm = (t: string) => Number(t.replace(':', ''));
  const sensitive = [...Object.values(SENSITIVE_APIS), ...Object.keys(SENSITIVE_APIS), ...settings.sensitiveResources];
  const scopes = scopeRegex(settings.highPrivilegeScopes);
  const attrs = settings.bl1.requiredAttributes.map((a) => a.replace(/^extension_/i, ''));
  const upn = settings.bl1.upnPattern;
  const m: Record<string, { definition: string; description: string }> = {
    outside_working_hours: {
      description: `AP-1: "true" outside working hours (${wh.days.join(',')} ${wh.start}-${wh.end}, time zone of the search owner; config says ${wh.timeZone})`,
      definition: [
        'eval ew_wd=strftime(_time, "%a"), ew_hm=tonumber(strftime(_time, "%H%M"))',
        `eval entrawatch_outside_working_hours=if(${days.length > 0 ? `NOT in(ew_wd, ${days.join(', ')}) OR ` : ''}ew_hm<${hhmm(wh.start)} OR ew_hm>=${hhmm(wh.end)}, "true", "false")`,
      ].join(' | '),
    },
    unapproved_controls: {
      description: 'PA-8: the expected sign-in controls not met (country, ip_address, browser, operating_system), from the admin_approved_* lookups',
      definition: [
        "eval ew_browser=mvindex(split('properties.deviceDetail.browser', \" \"), 0)",
        'lookup entrawatch_admin_approved_countries value AS properties.location.countryOrRegion OUTPUT value AS ew_ok_country',
        'lookup entrawatch_admin_approved_ip_ranges value AS properties.ipAddress OUTPUT value AS ew_ok_ip',
        'lookup entrawatch_admin_approved_browsers value AS ew_browser OUTPUT value AS ew_ok_browser',
        'lookup entrawatch_admin_approved_os value AS properties.deviceDetail.operatingSystem OUTPUT value AS ew_ok_os',
        'eval entrawatch_unapproved_controls=mvappend(if(isnull(ew_ok_country), "country", null()), if(isnull(ew_ok_ip), "ip_address", null()), if(isnull(ew_ok_browser), "browser", null()), if(isnull(ew_ok_os), "operating_system", null()))',
      ].join(' | '),
    },
    policy_id: {
      description: 'BL-2: the B2C policy (additionalDetails PolicyId) of an account creation',
      definition: `eval entrawatch_policy_id=mvindex('properties.additionalDetails{}.value', mvfind('properties.additionalDetails{}.key', "(?i)^PolicyId$"))`,
    },
    account_org_domain: {
      description: 'BL-3: the home domain of a guest account (jane_fabrikam.com#EXT#@tenant)',
      definition: `eval entrawatch_account_org_domain=lower(mvindex(mvmap('properties.targetResources{}.userPrincipalName', replace('properties.targetResources{}.userPrincipalName', "(?i)^.*_([^_#@]+\\.[^_#@]+)#EXT#@.*$|^.*$", "\\1")), 0)) | eval entrawatch_account_org_domain=if(entrawatch_account_org_domain=="", null(), entrawatch_account_org_domain)`,
    },
    account_org_domains: {
      description: 'BL-3: the guest home domain and its parent domains',
      definition: `eval entrawatch_account_org_domains=mvdedup(mvappend(entrawatch_account_org_domain, replace(entrawatch_account_org_domain, "^[^.]+\\.(.+\\..+)$", "\\1"), replace(entrawatch_account_org_domain, "^[^.]+\\.[^.]+\\.(.+\\..+)$", "\\1")))`,
    },
    bl1_violations: {
      description: 'BL-1: upn_naming / missing_attribute:<name> of a new consumer account (rules.bl1)',
      definition: `eval entrawatch_bl1_violations=mvappend(${
        upn ? `if(match(mvindex('properties.targetResources{}.userPrincipalName', 0), ${q(`(?i)${upn}`)}), null(), "upn_naming")` : 'null()'
      }${attrs.map((a) => `, if(isnotnull(mvfind('properties.targetResources{}.modifiedProperties{}.displayName', ${q(`(?i)${regexEscape(a)}`)})), null(), ${q(`missing_attribute:extension_${a}`)})`).join('')})`,
    },
    consent_type: {
      description: 'AP-6: consent type of a delegated permission grant (AllPrincipals / Principal)',
      definition: `eval entrawatch_consent_type=coalesce(trim(${modifiedValue('DelegatedPermissionGrant.ConsentType', 'newValue')}, "\\" []"), replace(${modifiedValue('ConsentAction.Permissions', 'newValue')}, "(?s)^.*=>.*ConsentType:\\s*([A-Za-z]+).*$", "\\1"))`,
    },
    high_privilege_scopes: {
      description: 'AP-3/4/6: highly privileged scopes or app roles granted (patterns of rules.permissions.highPrivilegeScopes)',
      definition: [
        `eval ew_scopes=split(trim(coalesce(${modifiedValue('DelegatedPermissionGrant.Scope', 'newValue')}, ${modifiedValue('AppRole.Value', 'newValue')}, ""), "\\" []"), " ")`,
        `eval entrawatch_high_privilege_scopes=mvfilter(match(ew_scopes, ${q(scopes)}))`,
      ].join(' | '),
    },
    sensitive_resource: {
      description: 'AP-4/5/6: the grant targets Microsoft Graph, Exchange Online, SharePoint Online, Azure AD (or rules.permissions.sensitiveResources)',
      definition: `eval entrawatch_sensitive_resource=mvfilter(in(lower('properties.targetResources{}.displayName'), ${sensitive.map((s) => q(s.toLowerCase())).join(', ')}) OR in(lower('properties.targetResources{}.id'), ${sensitive.map((s) => q(s.toLowerCase())).join(', ')}))`,
    },
    redirect_uri_issues: {
      description: 'AP-9: issues of the redirect URIs in the new AppAddress value: not_https, wildcard, localhost, uncontrolled_domain (not_unique is stream-only)',
      definition: [
        `eval ew_uri=mvdedup(mvfilter(match(split(replace(coalesce(${modifiedValue('AppAddress', 'newValue')}, ""), "[\\"\\\\[\\\\]{}]|Address:|AddressType:\\s*\\d+|IsDefault:\\s*\\w+", " "), " "), "^[A-Za-z][A-Za-z0-9+.-]*:")))`,
        ...hostsOf('ew_uri', 'ew_uri'),
        'eval entrawatch_redirect_uri_issues=mvdedup(mvappend(if(isnotnull(mvfind(ew_uri, "(?i)^http://(?!localhost|127\\.0\\.0\\.1)")), "not_https", null()), if(isnotnull(mvfind(ew_uri, "\\*")), "wildcard", null()), if(isnotnull(mvfind(ew_uri_host, "^(localhost|127\\.0\\.0\\.1)$")), "localhost", null()), if(mvcount(ew_uri_host)>mvcount(ew_uri_controlled), "uncontrolled_domain", null())))',
      ].join(' | '),
    },
    redirect_hosts: {
      description: 'AP-8 (approximation): hosts of the new AppAddress value outside controlled_domains; SPL cannot check DNS',
      definition: [
        `eval ew_rh=mvfilter(match(split(replace(coalesce(${modifiedValue('AppAddress', 'newValue')}, ""), "[\\"\\\\[\\\\]{}]|Address:", " "), " "), "^https?://"))`,
        ...hostsOf('ew_rh', 'ew_rh'),
        'eval entrawatch_redirect_hosts=if(isnull(ew_rh_controlled), ew_rh_host, null())',
      ].join(' | '),
    },
    logout_url_issues: {
      description: 'AP-12: blank, invalid, not_https or uncontrolled_domain sign-out URL (new LogoutUrl value)',
      definition: [
        `eval ew_lo=trim(coalesce(${modifiedValue('LogoutUrl', 'newValue')}, ""), "\\" []")`,
        ...hostsOf('ew_lo', 'ew_lo'),
        'eval entrawatch_logout_url_issues=case(ew_lo=="", "blank", NOT match(ew_lo, "(?i)^https?://[^/]+"), "invalid", match(ew_lo, "(?i)^http://"), "not_https", isnull(ew_lo_controlled), "uncontrolled_domain")',
      ].join(' | '),
    },
  };
  return m;
}

/**
 * AP-3..AP-6: what a consent or permission grant gives. For "Add delegated permission grant", "Add app role
 * assignment to service principal" and "Consent to application" it derives:
 * - `entrawatch.granted_scopes`: delegated scopes added (DelegatedPermissionGrant.Scope new minus old, or the Scope
 *   of ConsentAction.Permissions) and app roles granted (AppRole.Value);
 * - `entrawatch.app_roles`: the app roles alone;
 * - `entrawatch.high_privilege_scopes`: the granted ones matching the high-privilege patterns;
 * - `entrawatch.consent_type`: AllPrincipals / Principal (DelegatedPermissionGrant.ConsentType or
 *   ConsentAction.Permissions);
 * - `entrawatch.sensitive_resource`: the sensitive API the grant targets (Microsoft Graph, Office 365 Exchange
 *   Online, Office 365 SharePoint Online, Windows Azure Active Directory, by display name or app id).
 */
import type { EntraEvent } from '../../normalize/event.js';
import { activityOf, modifiedProperties, setDerived, stringLeaves, targetResources } from './record.js';

const GRANT_ACTIVITIES = new Set([
  'add delegated permission grant',
  'add app role assignment to service principal',
  'consent to application',
]);

/** Well-known first-party APIs: app id -> display name. */
export const SENSITIVE_APIS: Readonly<Record<string, string>> = {
  '00000003-0000-0000-c000-000000000000': 'Microsoft Graph',
  '00000002-0000-0ff1-ce00-000000000000': 'Office 365 Exchange Online',
  '00000003-0000-0ff1-ce00-000000000000': 'Office 365 SharePoint Online',
  '00000002-0000-0000-c000-000000000000': 'Windows Azure Active Directory',
};

export interface PermissionAnalysis {
  grantedScopes: string[];
  appRoles: string[];
  highPrivilegeScopes: string[];
  consentType?: string;
  sensitiveResource?: string;
}

/** Compiles `*`-patterns (case-insensitive) into one predicate. */
export function compileScopePatterns(patterns: readonly string[]): (scope: string) => boolean {
  const regexes = patterns.map(
    (p) => new RegExp(`^${p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i'),
  );
  return (scope) => regexes.some((r) => r.test(scope));
}

function splitScopes(value: unknown): string[] {
  return stringLeaves(value)
    .flatMap((s) => s.split(/[\s,]+/))
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Parses the "ConsentAction.Permissions" text: `[old] => [[Id: .., ConsentType: AllPrincipals, Scope:  a b, ..]]`. */
export function parseConsentPermissions(text: string): { consentType?: string; scopes: string[] } {
  const arrow = text.indexOf('=>');
  const side = arrow >= 0 ? text.slice(arrow + 2) : text;
  const consentType = /ConsentType:\s*([A-Za-z]+)/.exec(side)?.[1];
  const scopes: string[] = [];
  for (const m of side.matchAll(/Scope:\s*([^,\]]*)/g)) scopes.push(...splitScopes(m[1]));
  return { consentType, scopes };
}

export function analyzePermissions(
  event: EntraEvent,
  isHighPrivilege: (scope: string) => boolean,
  sensitiveNames: ReadonlyMap<string, string>,
): PermissionAnalysis | undefined {
  if (!GRANT_ACTIVITIES.has(activityOf(event))) return undefined;
  const scopes = new Set<string>();
  const appRoles = new Set<string>();
  let consentType: string | undefined;
  let sensitiveResource: string | undefined;
  const checkSensitive = (value: string) => {
    if (sensitiveResource === undefined) sensitiveResource = sensitiveNames.get(value.trim().toLowerCase());
  };

  for (const mp of modifiedProperties(event)) {
    const name = mp.name.toLowerCase();
    if (name === 'delegatedpermissiongrant.scope') {
      const old = new Set(splitScopes(mp.oldValue));
      for (const s of splitScopes(mp.newValue)) if (!old.has(s)) scopes.add(s);
    } else if (name === 'approle.value') {
      for (const s of splitScopes(mp.newValue)) appRoles.add(s);
    } else if (name === 'delegatedpermissiongrant.consenttype') {
      const v = stringLeaves(mp.newValue)[0]?.trim();
      if (v) consentType = v;
    } else if (name === 'consentaction.permissions') {
      for (const text of stringLeaves(mp.newValue)) {
        const parsed = parseConsentPermissions(text);
        parsed.scopes.forEach((s) => scopes.add(s));
        consentType ??= parsed.consentType;
      }
    }
    if (name.startsWith('serviceprincipal.') || name.startsWith('targetid.') || name.includes('appid')) {
      stringLeaves(mp.newValue).forEach(checkSensitive);
    }
  }
  for (const target of targetResources(event)) {
    if (typeof target['displayName'] === 'string') checkSensitive(target['displayName']);
    if (typeof target['appId'] === 'string') checkSensitive(target['appId']);
  }

  const granted = [...scopes, ...appRoles];
  return {
    grantedScopes: granted,
    appRoles: [...appRoles],
    highPrivilegeScopes: granted.filter(isHighPrivilege),
    consentType,
    sensitiveResource,
  };
}

export function createPermissionEnricher(options: {
  highPrivilegeScopes: readonly string[];
  sensitiveResources: readonly string[];
}): (event: EntraEvent) => void {
  const isHighPrivilege = compileScopePatterns(options.highPrivilegeScopes);
  const sensitive = new Map<string, string>();
  for (const [appId, name] of Object.entries(SENSITIVE_APIS)) {
    sensitive.set(appId, name);
    sensitive.set(name.toLowerCase(), name);
  }
  for (const extra of options.sensitiveResources) sensitive.set(extra.toLowerCase(), extra);
  return (event) => {
    if (event.kind !== 'audit') return;
    const a = analyzePermissions(event, isHighPrivilege, sensitive);
    if (!a) return;
    setDerived(event, 'granted_scopes', a.grantedScopes);
    setDerived(event, 'app_roles', a.appRoles);
    setDerived(event, 'high_privilege_scopes', a.highPrivilegeScopes);
    setDerived(event, 'consent_type', a.consentType);
    setDerived(event, 'sensitive_resource', a.sensitiveResource);
  };
}

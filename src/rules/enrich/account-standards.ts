/**
 * BL-1..BL-3 ("Define a baseline"): facts about a newly created account.
 * - `entrawatch.bl1_violations` (Add user): upn_naming (target UPN does not match `rules.bl1.upnPattern`,
 *   case-insensitive) and missing_attribute:<name> (no modified property whose name contains the attribute name
 *   without its `extension_` prefix, e.g. extension_<app id>_CustomerNumber, with a non-empty value);
 * - `entrawatch.policy_id` (Add user, "A self-service sign-up request was completed"): additionalDetails PolicyId;
 * - `entrawatch.account_org_domain` and `entrawatch.account_org_domains` (the domain and its parent domains)
 *   (Add user, Invite external user): the organization of the account: the home domain of a guest UPN
 *   (jane_fabrikam.com#EXT#@tenant), the issuer of a federated identity (Identities), or the mail domain of an
 *   account whose UserType is Guest. Social providers and the tenant's own domains are no organization.
 */
import type { EntraEvent } from '../../normalize/event.js';
import { withParentDomains } from './domains.js';
import {
  activityOf,
  additionalDetail,
  isObject,
  modifiedProperties,
  setDerived,
  stringLeaves,
  targetResources,
} from './record.js';

const SOCIAL_ISSUERS = [
  'facebook.com',
  'google.com',
  'gmail.com',
  'live.com',
  'outlook.com',
  'hotmail.com',
  'microsoft.com',
  'linkedin.com',
  'twitter.com',
  'x.com',
  'apple.com',
  'github.com',
  'amazon.com',
  'weibo.com',
  'qq.com',
  'wechat.com',
];

/** The UPN of the account an "Add user"-like record creates (first target with a UPN). */
export function targetUpn(event: EntraEvent): string | undefined {
  for (const t of targetResources(event)) {
    if (typeof t['userPrincipalName'] === 'string' && t['userPrincipalName'] !== '') return t['userPrincipalName'];
  }
  return undefined;
}

export function bl1Violations(
  event: EntraEvent,
  upnPattern: RegExp | undefined,
  requiredAttributes: readonly string[],
): string[] {
  const violations: string[] = [];
  const upn = targetUpn(event);
  if (upnPattern && upn !== undefined && !upnPattern.test(upn)) violations.push('upn_naming');
  if (requiredAttributes.length > 0) {
    const set = modifiedProperties(event).filter((mp) => stringLeaves(mp.newValue).some((v) => v.trim() !== ''));
    for (const attribute of requiredAttributes) {
      const short = attribute.replace(/^extension_/i, '').toLowerCase();
      if (!set.some((mp) => mp.name.toLowerCase().includes(short))) violations.push(`missing_attribute:${attribute}`);
    }
  }
  return violations;
}

function isOrganizationDomain(domain: string, tenantDomainSuffixes: readonly string[]): boolean {
  const d = domain.toLowerCase();
  if (!d.includes('.')) return false;
  if (tenantDomainSuffixes.some((s) => d === s || d.endsWith(`.${s}`))) return false;
  return !SOCIAL_ISSUERS.some((s) => d === s || d.endsWith(`.${s}`));
}

export function accountOrgDomain(event: EntraEvent): string | undefined {
  const tenantSuffixes = ['onmicrosoft.com', 'b2clogin.com'];
  const upn = targetUpn(event);
  if (upn && /#EXT#@/i.test(upn)) {
    const local = upn.slice(0, upn.search(/#EXT#@/i));
    const underscore = local.lastIndexOf('_');
    const domain = underscore >= 0 ? local.slice(underscore + 1) : '';
    if (isOrganizationDomain(domain, tenantSuffixes)) return domain.toLowerCase();
  }
  let guest = false;
  let mailDomain: string | undefined;
  for (const mp of modifiedProperties(event)) {
    const name = mp.name.toLowerCase();
    const values = Array.isArray(mp.newValue) ? mp.newValue : [mp.newValue];
    if (name === 'identities' || name.endsWith('.identities')) {
      for (const id of values) {
        if (!isObject(id)) continue;
        const type = String(id['signInType'] ?? id['SignInType'] ?? '').toLowerCase();
        const issuer = String(id['issuer'] ?? id['Issuer'] ?? '').toLowerCase();
        if ((type === 'federated' || type === '') && isOrganizationDomain(issuer, tenantSuffixes)) return issuer;
      }
    } else if (name === 'usertype') {
      guest = stringLeaves(mp.newValue).some((v) => v.toLowerCase() === 'guest');
    } else if (name === 'mail' || name === 'othermails') {
      const mail = stringLeaves(mp.newValue).find((v) => v.includes('@'));
      if (mail) mailDomain = mail.slice(mail.lastIndexOf('@') + 1).toLowerCase();
    }
  }
  if (guest && mailDomain && isOrganizationDomain(mailDomain, tenantSuffixes)) return mailDomain;
  return undefined;
}

export function createAccountStandardsEnricher(options: {
  upnPattern?: string;
  requiredAttributes: readonly string[];
}): (event: EntraEvent) => void {
  const upnPattern = options.upnPattern !== undefined ? new RegExp(options.upnPattern, 'i') : undefined;
  return (event) => {
    if (event.kind !== 'audit') return;
    const activity = activityOf(event);
    if (activity === 'add user') {
      setDerived(event, 'bl1_violations', bl1Violations(event, upnPattern, options.requiredAttributes));
    }
    if (activity === 'add user' || activity === 'a self-service sign-up request was completed') {
      setDerived(event, 'policy_id', additionalDetail(event, 'PolicyId'));
    }
    if (activity === 'add user' || activity === 'invite external user') {
      const domain = accountOrgDomain(event);
      if (domain) {
        setDerived(event, 'account_org_domain', domain);
        setDerived(event, 'account_org_domains', withParentDomains(domain));
      }
    }
  };
}

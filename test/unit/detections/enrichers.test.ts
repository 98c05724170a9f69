/**
 * The enrichers of src/rules/enrich: permission grants (AP-3..6), redirect URIs (AP-8/9), sign-out URL (AP-12),
 * working hours (AP-1), privileged sign-in controls (PA-8) and account standards (BL-1..3).
 */
import { describe, expect, it } from 'vitest';
import { createEnrichers } from '../../../src/rules/enrich/index.js';
import { compileScopePatterns, parseConsentPermissions } from '../../../src/rules/enrich/permissions.js';
import { extractUris, uriIssues } from '../../../src/rules/enrich/redirect-uris.js';
import { logoutUrlIssues } from '../../../src/rules/enrich/logout-url.js';
import { compileWorkingHours } from '../../../src/rules/enrich/working-hours.js';
import { inDomains, parseUri, withParentDomains } from '../../../src/rules/enrich/domains.js';
import { LruMap } from '../../../src/rules/enrich/lru.js';
import { ConfigError } from '../../../src/errors.js';
import { addUserByCpim, appAddress, at, audit, IdFactory, signIn, TENANT, userTarget } from '../../fixtures/rules/records.js';
import { exampleConfig } from './support/run-fixture.js';
import { derived, toEvent } from './support/events.js';

const config = exampleConfig();
const options = { ...(config.rules as object), placeholders: config.placeholders } as Record<string, unknown>;
delete options['paths'];
delete options['correlation'];
delete options['overrides'];
const newEnrichers = () => createEnrichers(options as Parameters<typeof createEnrichers>[0]);
const ids = new IdFactory('enricher-tests');
const enrich = (record: Record<string, unknown>, enrichers = newEnrichers()) => {
  const e = toEvent(record);
  for (const f of enrichers) f(e);
  return derived(e);
};
const controlled = new Set(config.placeholders['controlled_domains']!.map((d) => d.toLowerCase()));

describe('permission grants (AP-3..AP-6)', () => {
  const grant = (activity: string, mps: Array<{ displayName: string; oldValue: unknown; newValue: unknown }>, resource = 'Microsoft Graph') =>
    audit(ids, { time: at('2026-11-02T10:00:00Z'), activity, actor: { user: `it-admin@${TENANT}` }, targets: [{ type: 'ServicePrincipal', displayName: resource, modifiedProperties: mps }] });

  it('reads delegated scopes added (new minus old), consent type and the sensitive API', () => {
    const d = enrich(
      grant('Add delegated permission grant', [
        { displayName: 'DelegatedPermissionGrant.Scope', oldValue: ' User.Read', newValue: ' User.Read Mail.Send Directory.Read.All' },
        { displayName: 'DelegatedPermissionGrant.ConsentType', oldValue: '', newValue: 'AllPrincipals' },
      ]),
    );
    expect(d['granted_scopes']).toEqual(['Mail.Send', 'Directory.Read.All']);
    expect(d['high_privilege_scopes']).toEqual(['Mail.Send', 'Directory.Read.All']);
    expect(d['consent_type']).toBe('AllPrincipals');
    expect(d['sensitive_resource']).toBe('Microsoft Graph');
  });

  it('reads app roles and recognises a sensitive API by app id', () => {
    const d = enrich(
      grant(
        'Add app role assignment to service principal',
        [
          { displayName: 'AppRole.Value', oldValue: null, newValue: 'full_access_as_app' },
          { displayName: 'ServicePrincipal.AppId', oldValue: null, newValue: '00000002-0000-0ff1-ce00-000000000000' },
        ],
        'Exchange',
      ),
    );
    expect(d['app_roles']).toEqual(['full_access_as_app']);
    expect(d['high_privilege_scopes']).toEqual(['full_access_as_app']);
    expect(d['sensitive_resource']).toBe('Office 365 Exchange Online');
  });

  it('leaves low-privilege grants on other APIs without high-privilege or sensitive fields', () => {
    const d = enrich(grant('Add delegated permission grant', [{ displayName: 'DelegatedPermissionGrant.Scope', oldValue: '', newValue: ' openid profile User.Read' }], 'Contoso Orders API'));
    expect(d['granted_scopes']).toEqual(['openid', 'profile', 'User.Read']);
    expect(d['high_privilege_scopes']).toBeUndefined();
    expect(d['sensitive_resource']).toBeUndefined();
  });

  it('parses ConsentAction.Permissions of "Consent to application"', () => {
    const text = '[] => [[Id: abc, ClientId: c1, PrincipalId: , ResourceId: r1, ConsentType: AllPrincipals, Scope:  openid Mail.ReadWrite, CreatedDateTime: , LastModifiedDateTime ]]; ';
    expect(parseConsentPermissions(text)).toEqual({ consentType: 'AllPrincipals', scopes: ['openid', 'Mail.ReadWrite'] });
    const d = enrich(grant('Consent to application', [{ displayName: 'ConsentAction.Permissions', oldValue: null, newValue: text }]));
    expect(d['consent_type']).toBe('AllPrincipals');
    expect(d['high_privilege_scopes']).toEqual(['Mail.ReadWrite']);
  });

  it('matches scope patterns case-insensitively with * wildcards', () => {
    const high = compileScopePatterns(['*.All', 'Mail.*']);
    expect(high('directory.readwrite.all')).toBe(true);
    expect(high('Mail.Read')).toBe(true);
    expect(high('User.Read')).toBe(false);
    expect(high('Allowance')).toBe(false);
  });
});

describe('redirect URIs (AP-8, AP-9)', () => {
  const change = (oldUris: string[], newUris: string[], appId = 'app-1', app = 'Shop') =>
    audit(ids, {
      time: at('2026-11-02T10:00:00Z'),
      activity: 'Update application',
      actor: { user: `it-admin@${TENANT}` },
      targets: [{ type: 'Application', id: appId, displayName: app, modifiedProperties: [{ displayName: 'AppAddress', oldValue: appAddress(oldUris), newValue: appAddress(newUris) }] }],
    });

  it('reports added URIs with their issues, removed URIs and resolvable hosts', () => {
    const d = enrich(
      change(
        ['https://shop.contoso.com/cb', 'https://old.contoso.com/cb'],
        ['https://shop.contoso.com/cb', 'http://evil.example.net/cb', 'https://*.contoso.com/cb', 'http://localhost:5000/cb', 'msauth.com.contoso.app://auth'],
      ),
    );
    expect(d['redirect_uris_added']).toEqual(['http://evil.example.net/cb', 'https://*.contoso.com/cb', 'http://localhost:5000/cb', 'msauth.com.contoso.app://auth']);
    expect(d['redirect_uris_removed']).toEqual(['https://old.contoso.com/cb']);
    expect(d['redirect_uri_findings']).toEqual([
      { uri: 'http://evil.example.net/cb', issues: ['not_https', 'uncontrolled_domain'] },
      { uri: 'https://*.contoso.com/cb', issues: ['wildcard'] },
      { uri: 'http://localhost:5000/cb', issues: ['localhost'] },
    ]);
    expect(d['redirect_uri_issues']).toEqual(['not_https', 'uncontrolled_domain', 'wildcard', 'localhost']);
    expect(d['redirect_hosts']).toEqual(['shop.contoso.com', 'evil.example.net']);
  });

  it('flags a URI already registered on another app (bounded memory per worker)', () => {
    const enrichers = newEnrichers();
    expect(enrich(change([], ['https://shop.contoso.com/cb'], 'app-1'), enrichers)['redirect_uri_issues']).toBeUndefined();
    expect(enrich(change([], ['https://shop.contoso.com/cb'], 'app-2', 'Other'), enrichers)['redirect_uri_issues']).toEqual(['not_unique']);
    // the same app re-adding its own URI is not a duplicate
    expect(enrich(change([], ['https://shop.contoso.com/cb'], 'app-1'), enrichers)['redirect_uri_issues']).toBeUndefined();
  });

  it('has no issue for an https URI on a controlled domain', () => {
    expect(uriIssues('https://login.contosob2c.b2clogin.com/cb', controlled)).toEqual([]);
    expect(uriIssues('https://contoso.com.evil.net/cb', controlled)).toEqual(['uncontrolled_domain']);
  });

  it('extracts URIs from AppAddress objects and plain arrays', () => {
    expect(extractUris(appAddress(['https://a.example/x']))).toEqual(['https://a.example/x']);
    expect(extractUris(['https://b.example/', ['https://c.example/']])).toEqual(['https://b.example/', 'https://c.example/']);
    expect(extractUris(null)).toEqual([]);
  });
});

describe('sign-out URL (AP-12)', () => {
  it('classifies blank, invalid, http and uncontrolled values', () => {
    expect(logoutUrlIssues([], controlled)).toEqual(['blank']);
    expect(logoutUrlIssues('', controlled)).toEqual(['blank']);
    expect(logoutUrlIssues(['not a url'], controlled)).toEqual(['invalid']);
    expect(logoutUrlIssues(['http://shop.contoso.com/out'], controlled)).toEqual(['not_https']);
    expect(logoutUrlIssues(['https://evil.example/out'], controlled)).toEqual(['uncontrolled_domain']);
    expect(logoutUrlIssues(['https://www.contoso.com/out'], controlled)).toEqual([]);
  });
});

describe('working hours (AP-1)', () => {
  it('is outside before start, at end, at night and at weekends (UTC)', () => {
    const outside = compileWorkingHours({ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '07:00', end: '19:00', timeZone: 'UTC' });
    expect(outside(Date.parse('2026-11-02T07:00:00Z'))).toBe(false);
    expect(outside(Date.parse('2026-11-02T18:59:00Z'))).toBe(false);
    expect(outside(Date.parse('2026-11-02T19:00:00Z'))).toBe(true);
    expect(outside(Date.parse('2026-11-02T06:59:00Z'))).toBe(true);
    expect(outside(Date.parse('2026-11-01T12:00:00Z'))).toBe(true);
  });

  it('uses the configured time zone', () => {
    const outside = compileWorkingHours({ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00', timeZone: 'America/New_York' });
    expect(outside(Date.parse('2026-11-02T15:00:00Z'))).toBe(false); // 10:00 in New York
    expect(outside(Date.parse('2026-11-02T23:00:00Z'))).toBe(true); // 18:00 in New York
  });

  it('is only computed for application and service principal changes', () => {
    const app = audit(ids, { time: at('2026-11-02T22:00:00Z'), activity: 'Update application – Certificates and secrets management', actor: { user: `it-admin@${TENANT}` } });
    expect(enrich(app)['outside_working_hours']).toBe(true);
    expect(enrich(addUserByCpim(ids, at('2026-11-02T22:00:00Z'), `x@${TENANT}`))['outside_working_hours']).toBeUndefined();
  });
});

describe('privileged sign-in controls (PA-8)', () => {
  const admin = `it-admin@${TENANT}`;
  it('lists the controls a privileged sign-in misses (IPv4 and IPv6 ranges, browser prefix, OS, country)', () => {
    expect(enrich(signIn(ids, { time: at('2026-11-02T10:00:00Z'), upn: admin, ip: '203.0.113.9', country: 'US', browser: 'Edge 120.0.0', os: 'Windows10' }))['unapproved_controls']).toBeUndefined();
    expect(enrich(signIn(ids, { time: at('2026-11-02T10:00:00Z'), upn: admin, ip: '2001:db8:100:7::1', country: 'CA', browser: 'Chrome 119', os: 'MacOs' }))['unapproved_controls']).toBeUndefined();
    expect(enrich(signIn(ids, { time: at('2026-11-02T10:00:00Z'), upn: admin, ip: '198.51.100.1', country: 'RU', browser: 'Firefox 1', os: 'Linux' }))['unapproved_controls']).toEqual(['country', 'ip', 'browser', 'os']);
  });
  it('ignores accounts that are not privileged', () => {
    expect(enrich(signIn(ids, { time: at('2026-11-02T10:00:00Z'), upn: `x@${TENANT}`, ip: '198.51.100.1', country: 'RU' }))['unapproved_controls']).toBeUndefined();
  });
});

describe('account standards (BL-1..BL-3)', () => {
  const time = at('2026-11-02T10:00:00Z');
  it('BL-1: flags a UPN outside the naming pattern and a missing required attribute', () => {
    const good = addUserByCpim(ids, time, `0f8fad5b-d9cb-469f-a165-70867728950e@${TENANT}`);
    expect(enrich(good)['bl1_violations']).toBeUndefined();
    const bad = audit(ids, { time, activity: 'Add user', actor: { app: 'CPIM Service' }, targets: [userTarget(`john.doe@${TENANT}`)] });
    expect(enrich(bad)['bl1_violations']).toEqual(['upn_naming', 'missing_attribute:extension_CustomerNumber']);
  });
  it('BL-2: reads the PolicyId of the creation', () => {
    expect(enrich(addUserByCpim(ids, time, `a@${TENANT}`))['policy_id']).toBe('B2C_1A_signup_signin');
  });
  it('BL-3: finds the organization of guests and federated identities, not of social ones', () => {
    const guest = audit(ids, { time, activity: 'Invite external user', actor: { user: `it-admin@${TENANT}` }, targets: [userTarget(`ann_sales.fabrikam.com#EXT#@${TENANT}`)] });
    expect(enrich(guest)['account_org_domains']).toEqual(['sales.fabrikam.com', 'fabrikam.com', 'com']);
    const federated = (issuer: string) =>
      addUserByCpim(ids, time, `b@${TENANT}`, { targets: [userTarget(`b@${TENANT}`, [{ displayName: 'Identities', oldValue: [], newValue: [{ signInType: 'federated', issuer, issuerAssignedId: '1' }] }])] });
    expect(enrich(federated('login.partner.example'))['account_org_domain']).toBe('login.partner.example');
    expect(enrich(federated('facebook.com'))['account_org_domain']).toBeUndefined();
  });
});

describe('config and helpers', () => {
  it('rejects bad enricher config with a ConfigError naming the key', () => {
    expect(() => createEnrichers({ workingHours: { start: '7am' } })).toThrow(ConfigError);
    expect(() => createEnrichers({ bl1: { upnPattern: '([' } })).toThrow(/rules\.bl1\.upnPattern/);
  });
  it('parses hosts and domain lists', () => {
    expect(parseUri('https://user@Host.Example.com:8443/x')).toEqual({ scheme: 'https', host: 'host.example.com' });
    expect(parseUri('http://[::1]:80/')).toEqual({ scheme: 'http', host: '::1' });
    expect(inDomains('*.a.contoso.com', controlled)).toBe(true);
    expect(inDomains('notcontoso.com', controlled)).toBe(false);
    expect(withParentDomains('a.b.c')).toEqual(['a.b.c', 'b.c', 'c']);
  });
  it('LruMap evicts the least recently used entry and expires by TTL', () => {
    let now = 0;
    const m = new LruMap<string, number>(2, 100, () => now);
    m.set('a', 1);
    m.set('b', 2);
    m.get('a');
    m.set('c', 3);
    expect(m.get('b')).toBeUndefined();
    expect(m.get('a')).toBe(1);
    now = 500;
    expect(m.get('c')).toBeUndefined();
  });
});

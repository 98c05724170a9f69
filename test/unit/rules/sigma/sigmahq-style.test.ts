/**
 * Rules written the way SigmaHQ writes its Azure rules (their field names and logsources) load unchanged and
 * fire on matching EntraEvents, not on near misses.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EntraEvent } from '../../../../src/normalize/event.js';
import { loadRuleFiles } from '../../../../src/rules/load.js';
import type { CompiledRule } from '../../../../src/rules/sigma/compile.js';
import { auditEvent, riskEvent, signinEvent } from './events.js';

const DIR = fileURLToPath(new URL('../../../fixtures/sigma/sigmahq-style/', import.meta.url));

let rules: Map<string, CompiledRule>;
beforeAll(async () => {
  const loaded = await loadRuleFiles([DIR], { placeholders: {} });
  rules = new Map(loaded.rules.map((r) => [r.meta.title, r]));
});

const cases: Array<{ title: string; fires: EntraEvent[]; misses: EntraEvent[] }> = [
  {
    title: 'Account Lockout',
    fires: [signinEvent({ errorCode: 50053, failureReason: 'Account is locked' })],
    misses: [signinEvent({ errorCode: 50126 }), auditEvent({ activity: '50053' })],
  },
  {
    title: 'Login to Disabled Account',
    fires: [signinEvent({ errorCode: 50057, failureReason: 'User account is disabled. The account has been disabled by an administrator.' })],
    misses: [signinEvent({ errorCode: 50057, failureReason: 'User account is disabled.' }), signinEvent({ errorCode: 50053, failureReason: 'User account is disabled. The account has been disabled by an administrator.' })],
  },
  {
    title: 'Multifactor Authentication Denied',
    fires: [
      signinEvent({ errorCode: 500121, authenticationRequirement: 'multiFactorAuthentication', failureReason: 'Authentication failed during strong authentication request.', additionalDetails: 'MFA denied; user declined the authentication' }),
      signinEvent({ errorCode: 500121, authenticationRequirement: 'multiFactorAuthentication', additionalDetails: 'MFA denied; Phone App Reported Fraud' }),
    ],
    misses: [
      signinEvent({ errorCode: 500121, authenticationRequirement: 'singleFactorAuthentication', additionalDetails: 'MFA denied; user declined the authentication' }),
      signinEvent({ errorCode: 500121, authenticationRequirement: 'multiFactorAuthentication', additionalDetails: 'MFA completed in Azure AD' }),
    ],
  },
  {
    title: 'Sign-in Failure Due to Conditional Access Requirements Not Met',
    fires: [signinEvent({ errorCode: 53003, failureReason: 'Blocked by Conditional Access' })],
    misses: [signinEvent({ errorCode: 53003, failureReason: 'Access has been blocked due to conditional access policies.' }), signinEvent({ errorCode: 0 })],
  },
  {
    title: 'Added Credentials to Existing Application',
    fires: [
      auditEvent({ activity: 'Update application \u2013 Certificates and secrets management', category: 'ApplicationManagement' }),
      auditEvent({ activity: 'Update Service principal/Update Application', category: 'ApplicationManagement' }),
    ],
    misses: [
      auditEvent({ activity: 'Update application - Certificates and secrets management' }), // hyphen, not EN DASH
      auditEvent({ activity: 'Update application' }),
      signinEvent({ extra: { activityDisplayName: 'Update Service principal/Update Application' } }), // wrong kind
    ],
  },
  {
    title: 'New CA Policy by Non-approved Actor',
    fires: [auditEvent({ activity: 'Add conditional access policy', category: 'Policy', loggedByService: 'Conditional Access' })],
    misses: [auditEvent({ activity: 'Update conditional access policy', category: 'Policy' })],
  },
  {
    title: 'Sign-ins from Non-Compliant Devices',
    fires: [signinEvent({ isCompliant: false })],
    misses: [signinEvent({ isCompliant: true })],
  },
  {
    title: 'Use of Legacy Authentication Protocols',
    fires: [signinEvent({ clientAppUsed: 'IMAP' }), signinEvent({ clientAppUsed: 'exchange activesync' })],
    misses: [signinEvent({ clientAppUsed: 'Browser' }), signinEvent({ clientAppUsed: 'IMAP4' })],
  },
  {
    title: 'Anonymous IP Address',
    fires: [riskEvent({ riskEventType: 'anonymizedIPAddress' })],
    misses: [riskEvent({ riskEventType: 'unfamiliarFeatures' }), signinEvent({ extra: { riskEventType: 'anonymizedIPAddress' } })],
  },
  {
    title: 'Roles Assigned Outside PIM',
    fires: [auditEvent({ activity: 'Add member to role outside of PIM (permanent)', category: 'RoleManagement', loggedByService: 'PIM' })],
    misses: [auditEvent({ activity: 'Add member to role', category: 'RoleManagement' })],
  },
  {
    title: 'Application URI Configuration Changes',
    fires: [
      auditEvent({
        activity: 'Update application',
        targets: [{ type: 'Application', displayName: 'app', modifiedProperties: [{ displayName: 'AppAddress', oldValue: '[]', newValue: '[{"Address":"http://evil.example/cb"}]' }] }],
      }),
    ],
    misses: [
      auditEvent({
        activity: 'Update application',
        targets: [{ type: 'Application', displayName: 'app', modifiedProperties: [{ displayName: 'AppAddress', oldValue: '[]', newValue: '[{"Address":"https://good.example/cb"}]' }] }],
      }),
      auditEvent({
        activity: 'Update application',
        targets: [{ type: 'Application', displayName: 'app', modifiedProperties: [{ displayName: 'DisplayName', oldValue: '"a"', newValue: '"http://x"' }] }],
      }),
    ],
  },
];

describe('SigmaHQ-style Azure rules', () => {
  it('load unchanged', () => {
    expect([...rules.keys()].sort()).toEqual(cases.map((c) => c.title).sort());
    for (const r of rules.values()) expect(r.meta.logsource.product).toBe('azure');
  });

  for (const c of cases) {
    it(`${c.title}: fires on matching events, not on near misses`, () => {
      const rule = rules.get(c.title)!;
      for (const e of c.fires) expect(rule.match(e), JSON.stringify(e.fields).slice(0, 200)).toBe(true);
      for (const e of c.misses) expect(rule.match(e), JSON.stringify(e.fields).slice(0, 200)).toBe(false);
    });
  }

  it('only the intended rule fires for each matching event', () => {
    for (const c of cases) {
      for (const e of c.fires) {
        const fired = [...rules.values()].filter((r) => r.match(e)).map((r) => r.meta.title);
        expect(fired).toContain(c.title);
        expect(fired.filter((t) => t !== c.title && t !== 'Sign-ins from Non-Compliant Devices')).toEqual([]);
      }
    }
  });
});

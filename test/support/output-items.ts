/** Small builders of Detection and EntraEvent values for sink tests. */
import type { EntraEvent } from '../../src/normalize/event.js';
import type { Detection } from '../../src/rules/types.js';

export function makeDetection(n: number, overrides: Partial<Detection> = {}): Detection {
  return {
    id: `det-${n}`,
    rule: { id: '5b1c1f7e-0000-4000-8000-000000000004', name: 'ca4_failed_signins_burst', title: 'Failed sign-ins burst', level: 'medium', seedRows: ['CA-4'], tags: ['attack.t1110.001'] },
    time: Date.UTC(2026, 10, 2, 10, 0, 0) + n * 1000,
    window: { start: Date.UTC(2026, 10, 2, 9, 50, 0), end: Date.UTC(2026, 10, 2, 10, 0, 0) },
    group: { user: `user${n}@contosob2c.onmicrosoft.com` },
    cim: {
      app: 'ProxyIdentityExperienceFramework',
      dest: '8c0e4c3e-5b0a-4f45-9d5e-6a1b2c3d4e5f',
      signature: 'Failed sign-ins burst',
      signature_id: '5b1c1f7e-0000-4000-8000-000000000004',
      severity: 'medium',
      src: '203.0.113.7',
      user: `user${n}@contosob2c.onmicrosoft.com`,
      type: 'alert',
      description: 'Five or more failed sign-ins (50126) for one account in 10 minutes',
      mitre_technique_id: ['T1110.001'],
    },
    evidence: { eventIds: [`e${n}a`, `e${n}b`], count: 5 },
    ...overrides,
  };
}

export function makeEvent(n: number, overrides: Partial<EntraEvent> = {}): EntraEvent {
  const raw = {
    time: '2026-11-02T10:00:00.0000000Z',
    category: 'SignInLogs',
    operationName: 'Sign-in activity',
    resultType: '50126',
    properties: { id: `ev-${n}`, userPrincipalName: `user${n}@contosob2c.onmicrosoft.com`, status: { errorCode: 50126 } },
  };
  return {
    id: `ev-${n}`,
    time: Date.UTC(2026, 10, 2, 10, 0, 0) + n,
    kind: 'signin',
    category: 'SignInLogs',
    raw,
    format: 'azure-monitor',
    cim: { action: 'failure', app: 'ProxyIdentityExperienceFramework', user: `user${n}@contosob2c.onmicrosoft.com`, src_ip: '203.0.113.7', signature: 'Sign-in activity', signature_id: '50126', reason: 'Invalid username or password' },
    fields: raw,
    ...overrides,
  };
}

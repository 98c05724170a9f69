/** Test items for the HEC sink: sign-in events and detections with recognisable ids. */
import type { EntraEvent } from '../../../src/normalize/event.js';
import type { Detection } from '../../../src/rules/types.js';
import type { OutputItem } from '../../../src/sinks/types.js';
import type { StoredHecEvent } from '../../support/hec-receiver/index.js';

export const T0 = 1_700_000_000_000;

export function signInEvent(i: number, extra: Record<string, unknown> = {}): EntraEvent {
  const raw = {
    time: new Date(T0 + i * 1001).toISOString(),
    resourceId: '/tenants/00000000-0000-0000-0000-000000000001/providers/Microsoft.aadiam',
    operationName: 'Sign-in activity',
    category: 'SignInLogs',
    tenantId: '00000000-0000-0000-0000-000000000001',
    callerIpAddress: `10.0.${i % 250}.${i % 7}`,
    properties: {
      id: `ev-${i}`,
      userPrincipalName: `user${i}@contoso.example`,
      appDisplayName: 'B2C app',
      status: { errorCode: i % 5 === 0 ? 50126 : 0 },
      note: 'unicode é 東京 "quotes" \\ back',
    },
    ...extra,
  };
  return {
    id: `ev-${i}`,
    time: T0 + i * 1001,
    kind: 'signin',
    category: 'SignInLogs',
    raw,
    format: 'azure-monitor',
    cim: { user: `user${i}@contoso.example`, src_ip: raw.callerIpAddress, action: i % 5 === 0 ? 'failure' : 'success', app: 'B2C app' },
    fields: raw,
  };
}

export function detection(i: number): Detection {
  return {
    id: `det-${i}`,
    rule: { id: 'rule-1', title: 'Password spray', level: 'high', seedRows: ['CA-1'], tags: ['attack.t1110.003'] },
    time: T0 + i * 60_000 + 250,
    window: { start: T0, end: T0 + i * 60_000 },
    group: { src_ip: '10.0.0.1' },
    cim: {
      app: 'B2C app',
      signature: 'Password spray',
      signature_id: 'rule-1',
      severity: 'high',
      src: '10.0.0.1',
      type: 'alert',
      description: 'many users failed from one IP',
    },
    evidence: { eventIds: [`ev-${i}`], count: 25 },
  };
}

export function items(n: number, detectionsEvery = 10): OutputItem[] {
  const out: OutputItem[] = [];
  for (let i = 0; i < n; i++) {
    out.push({ type: 'event', event: signInEvent(i) });
    if (detectionsEvery > 0 && i % detectionsEvery === 0) out.push({ type: 'detection', detection: detection(i) });
  }
  return out;
}

/** the id of an item, and of a stored HEC event (raw record id or detection id) */
export function itemId(item: OutputItem): string {
  return item.type === 'event' ? item.event.id : item.detection.id;
}

export function storedId(e: StoredHecEvent): string {
  const ev = e.event as { id?: string; properties?: { id?: string } };
  return e.sourcetype === 'entrawatch:detection' ? String(ev.id) : String(ev.properties?.id);
}

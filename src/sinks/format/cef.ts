/**
 * ArcSight Common Event Format (CEF:0), per "Implementing ArcSight CEF" rev. 25:
 *   CEF:Version|Device Vendor|Device Product|Device Version|Device Event Class ID|Name|Severity|Extension
 * Header fields: `\` -> `\\`, `|` -> `\|`; newlines are not allowed there and become spaces.
 * Extension values: `\` -> `\\`, `=` -> `\=`, CR -> `\r`, LF -> `\n` (pipes need no escaping).
 * Extension keys are CEF dictionary keys; entrawatch-specific values go to the csN/cnN custom fields with labels.
 */
import type { SiemKey, SiemRecord } from './siem-fields.js';

export interface CefHeader {
  vendor: string;
  product: string;
  version: string;
}

export function escapeCefHeader(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
}

export function escapeCefValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/=/g, '\\=').replace(/\r/g, '\\r').replace(/\n/g, '\\n');
}

/** entrawatch key -> CEF key (and label for custom fields) */
export const CEF_KEYS: Record<SiemKey, { key: string; label?: string }> = {
  id: { key: 'externalId' },
  user: { key: 'duser' },
  src: { key: 'src' }, // IPv6 goes to c6a2 (see below)
  app: { key: 'requestClientApplication' },
  dest: { key: 'dvchost' },
  category: { key: 'cat' },
  action: { key: 'act' },
  outcome: { key: 'outcome' },
  reason: { key: 'reason' },
  signature: { key: 'cs1', label: 'signature' },
  description: { key: 'msg' },
  seedRows: { key: 'cs2', label: 'seedRows' },
  ruleId: { key: 'cs3', label: 'ruleId' },
  level: { key: 'cs4', label: 'level' },
  count: { key: 'cnt' },
  windowStart: { key: 'start' },
  windowEnd: { key: 'end' },
  eventIds: { key: 'cs5', label: 'eventIds' },
  mitre: { key: 'cs6', label: 'mitreTechniques' },
  country: { key: 'cs6', label: 'country' }, // events only: mitre is for detections only
  userAgent: { key: 'requestContext' },
};

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export function encodeCef(record: SiemRecord, header: CefHeader): string {
  const parts: string[] = [`rt=${record.time}`];
  for (const { key, value } of record.attributes) {
    let target = CEF_KEYS[key];
    if (key === 'src' && !IPV4.test(value)) target = { key: 'c6a2', label: 'Source IPv6 Address' };
    parts.push(`${target.key}=${escapeCefValue(value)}`);
    if (target.label) parts.push(`${target.key}Label=${escapeCefValue(target.label)}`);
  }
  const head = [
    'CEF:0',
    escapeCefHeader(header.vendor),
    escapeCefHeader(header.product),
    escapeCefHeader(header.version),
    escapeCefHeader(record.eventId),
    escapeCefHeader(record.name),
    String(Math.max(0, Math.min(10, Math.round(record.severity)))),
  ].join('|');
  return `${head}|${parts.join(' ')}`;
}

/**
 * The one field map from entrawatch's detections and events to the flat attributes that LEEF (QRadar) and CEF
 * (ArcSight) carry. Both encoders read this map, so the two formats always say the same thing.
 * docs/leef-cef.md documents it as a table.
 */
import type { EntraEvent } from '../../normalize/event.js';
import type { Detection } from '../../rules/types.js';

/** A flat, ordered view of one item: the keys are entrawatch's names; encoders rename them per format. */
export interface SiemRecord {
  /** the event class: rule name for detections, `<category>:<operationName>` for events */
  eventId: string;
  /** human name: rule title, or the operation name */
  name: string;
  /** 0-10 (CEF/LEEF severity scale) */
  severity: number;
  /** event time, epoch ms */
  time: number;
  attributes: SiemAttribute[];
}

export interface SiemAttribute {
  /** entrawatch's key (see LEEF_KEYS / CEF_KEYS for the format's key) */
  key: SiemKey;
  value: string;
}

export type SiemKey =
  | 'id'
  | 'user'
  | 'src'
  | 'app'
  | 'dest'
  | 'category'
  | 'action'
  | 'outcome'
  | 'reason'
  | 'signature'
  | 'description'
  | 'seedRows'
  | 'ruleId'
  | 'level'
  | 'count'
  | 'windowStart'
  | 'windowEnd'
  | 'eventIds'
  | 'mitre'
  | 'country'
  | 'userAgent';

/** detection level / CIM severity -> the 0-10 scale shared by CEF and LEEF */
export const SEVERITY_SCALE: Record<string, number> = {
  informational: 1,
  low: 3,
  medium: 5,
  high: 8,
  critical: 10,
};

function push(attrs: SiemAttribute[], key: SiemKey, value: unknown): void {
  if (value === undefined || value === null || value === '') return;
  const text = Array.isArray(value) ? value.map(String).join(',') : String(value);
  if (text !== '') attrs.push({ key, value: text });
}

export function detectionToSiemRecord(d: Detection): SiemRecord {
  const attributes: SiemAttribute[] = [];
  push(attributes, 'id', d.id);
  push(attributes, 'ruleId', d.rule.id);
  push(attributes, 'level', d.rule.level);
  push(attributes, 'seedRows', d.rule.seedRows);
  push(attributes, 'user', d.cim.user);
  push(attributes, 'src', d.cim.src);
  push(attributes, 'app', d.cim.app);
  push(attributes, 'dest', d.cim.dest);
  push(attributes, 'signature', d.cim.signature);
  push(attributes, 'description', d.cim.description);
  push(attributes, 'mitre', d.cim.mitre_technique_id);
  push(attributes, 'count', d.evidence.count);
  if (d.window) {
    push(attributes, 'windowStart', d.window.start);
    push(attributes, 'windowEnd', d.window.end);
  }
  push(attributes, 'eventIds', d.evidence.eventIds.slice(0, 20));
  return {
    eventId: d.rule.name ?? d.rule.id,
    name: d.rule.title,
    severity: SEVERITY_SCALE[d.cim.severity] ?? 5,
    time: d.time,
    attributes,
  };
}

export function eventToSiemRecord(e: EntraEvent): SiemRecord {
  const c = e.cim;
  const attributes: SiemAttribute[] = [];
  push(attributes, 'id', e.id);
  push(attributes, 'category', e.category);
  push(attributes, 'user', c.user);
  push(attributes, 'src', c.src_ip ?? c.src);
  push(attributes, 'app', c.app);
  push(attributes, 'dest', c.dest);
  push(attributes, 'action', c.action);
  push(attributes, 'outcome', c.status ?? c.action);
  push(attributes, 'reason', c.reason);
  push(attributes, 'signature', c.signature_id ?? c.signature);
  push(attributes, 'country', c.country);
  push(attributes, 'userAgent', c.user_agent);
  const failed = c.action === 'failure' || c.status === 'failure';
  return {
    eventId: `${e.category}:${String(c.signature ?? e.kind)}`,
    name: String(c.signature ?? e.category),
    severity: failed ? 4 : 1,
    time: e.time,
    attributes,
  };
}

/**
 * Builds Detection objects (src/rules/types.ts): CIM Alerts fields from the rule and the triggering events,
 * deterministic ids (sha256 of rule id + group key + window start, or rule id + event id), and the evidence
 * (event ids, counts, values, and for change events old -> new values from modifiedProperties).
 */
import { hash } from 'node:crypto';
import type { CimValue, EntraEvent } from '../normalize/event.js';
import type { Detection, RuleMeta } from './types.js';

/** CIM fields a detection takes from its events, and the group-by names that may stand for them. */
const CIM_SOURCES: Record<'user' | 'src' | 'app' | 'dest', string[]> = {
  user: ['user', 'userPrincipalName', 'UserPrincipalName', 'Username'],
  src: ['src', 'src_ip', 'ipAddress', 'IPAddress', 'callerIpAddress'],
  app: ['app', 'AppDisplayName', 'appDisplayName'],
  dest: ['dest', 'ResourceDisplayName', 'resourceDisplayName'],
};

export const DEFAULT_ALERT_APP = 'entrawatch';

/** sha256 (hex) of the parts joined by U+001F; the one-shot crypto.hash costs half of a createHash object. */
export function detectionId(...parts: Array<string | number>): string {
  return hash('sha256', parts.join('\x1f'), 'hex');
}

/** attack.t1110.003 -> T1110.003 */
export function mitreTechniques(tags: readonly string[]): string[] | undefined {
  const out: string[] = [];
  for (const tag of tags) {
    const m = /^attack\.(t\d{4}(?:\.\d{3})?)$/i.exec(tag);
    if (m) out.push(m[1]!.toUpperCase());
  }
  return out.length ? [...new Set(out)] : undefined;
}

/** a rule's techniques, computed once per rule (its tags do not change after load) */
const mitreByRule = new WeakMap<RuleMeta, readonly string[] | null>();
function mitreOf(meta: RuleMeta): readonly string[] | null {
  let mitre = mitreByRule.get(meta);
  if (mitre === undefined) mitreByRule.set(meta, (mitre = mitreTechniques(meta.tags) ?? null));
  return mitre;
}

function firstString(v: CimValue | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return v.length ? String(v[0]) : undefined;
  const s = String(v);
  return s === '' ? undefined : s;
}

function cimFrom(events: readonly EntraEvent[], group: Record<string, string>): Partial<Record<'user' | 'src' | 'app' | 'dest', string>> {
  const out: Partial<Record<'user' | 'src' | 'app' | 'dest', string>> = {};
  for (const field of ['user', 'src', 'app', 'dest'] as const) {
    for (const name of CIM_SOURCES[field]) {
      const g = group[name];
      if (g !== undefined && g !== '') {
        out[field] = g;
        break;
      }
    }
    if (out[field] !== undefined) continue;
    for (let i = events.length - 1; i >= 0; i--) {
      const cim = events[i]!.cim;
      const v = firstString(cim[field]) ?? (field === 'src' ? firstString(cim['src_ip']) : undefined);
      if (v !== undefined) {
        out[field] = v;
        break;
      }
    }
  }
  return out;
}

function baseDetection(
  meta: RuleMeta,
  id: string,
  time: number,
  group: Record<string, string>,
  events: readonly EntraEvent[],
  description: string,
): Detection {
  const from = cimFrom(events, group);
  const cim: Detection['cim'] = {
    app: from.app ?? DEFAULT_ALERT_APP,
    signature: meta.title,
    signature_id: meta.id,
    severity: meta.level,
    type: 'alert',
    description,
  };
  if (from.user !== undefined) cim.user = from.user;
  if (from.src !== undefined) cim.src = from.src;
  if (from.dest !== undefined) cim.dest = from.dest;
  const mitre = mitreOf(meta);
  if (mitre) cim.mitre_technique_id = [...mitre];
  const rule: Detection['rule'] = { id: meta.id, title: meta.title, level: meta.level, seedRows: [...meta.seedRows], tags: [...meta.tags] };
  if (meta.name !== undefined) rule.name = meta.name;
  return { id, rule, time, group, cim, evidence: { eventIds: [] } };
}

/** old -> new values of the properties an audit event changed (properties.targetResources[].modifiedProperties). */
export function modifiedProperties(event: EntraEvent): NonNullable<Detection['evidence']['changes']> {
  const props = event.fields['properties'];
  if (typeof props !== 'object' || props === null) return [];
  const targets = (props as Record<string, unknown>)['targetResources'];
  if (!Array.isArray(targets)) return [];
  const out: NonNullable<Detection['evidence']['changes']> = [];
  for (const t of targets) {
    if (typeof t !== 'object' || t === null) continue;
    const target = t as Record<string, unknown>;
    const mods = target['modifiedProperties'];
    if (!Array.isArray(mods)) continue;
    const name = [target['displayName'], target['userPrincipalName'], target['id']].find((x) => typeof x === 'string' && x !== '') as
      | string
      | undefined;
    for (const m of mods) {
      if (typeof m !== 'object' || m === null) continue;
      const mod = m as Record<string, unknown>;
      const change = {
        property: String(mod['displayName'] ?? ''),
        old: 'oldValueParsed' in mod ? mod['oldValueParsed'] : mod['oldValue'],
        new: 'newValueParsed' in mod ? mod['newValueParsed'] : mod['newValue'],
      } as NonNullable<Detection['evidence']['changes']>[number];
      if (name !== undefined) change.target = name;
      out.push(change);
    }
  }
  return out;
}

/**
 * A detection of a single-event rule: one per matching event, id = sha256(rule id, event id); with suppression,
 * id = sha256(rule id, group, suppression bucket start) (the one detection of that bucket).
 */
export function buildEventDetection(meta: RuleMeta, event: EntraEvent, suppressMs = 0, group = ''): Detection {
  const id = suppressMs > 0 ? detectionId(meta.id, group, `s${Math.floor(event.time / suppressMs) * suppressMs}`) : detectionId(meta.id, event.id);
  const d = baseDetection(meta, id, event.time, {}, [event], meta.description ?? meta.title);
  d.evidence.eventIds = [event.id];
  const changes = modifiedProperties(event);
  if (changes.length) d.evidence.changes = changes;
  return d;
}

export interface CorrelationFire {
  /** group key (values joined) and group-by field -> value */
  groupKey: string;
  group: Record<string, string>;
  window: { start: number; end: number };
  /** detection time: the window end, or the event time for first_seen */
  time: number;
  /** what makes the detection unique besides rule and group (window start, or value + time) */
  discriminator: string | number;
  eventIds: string[];
  count?: number;
  values?: Record<string, unknown>;
  /** text appended to the description, e.g. "12 events (>= 10) in 10m" */
  summary: string;
}

/** A detection of a correlation rule, id = sha256(rule id, group key, window start). */
export function buildCorrelationDetection(meta: RuleMeta, fire: CorrelationFire, events: readonly EntraEvent[]): Detection {
  const description = `${meta.description ?? meta.title} (${fire.summary})`;
  const d = baseDetection(meta, detectionId(meta.id, fire.groupKey, fire.discriminator), fire.time, fire.group, events, description);
  d.window = fire.window;
  d.evidence.eventIds = fire.eventIds;
  if (fire.count !== undefined) d.evidence.count = fire.count;
  if (fire.values) d.evidence.values = fire.values;
  return d;
}

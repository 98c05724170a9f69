/**
 * Small readers over the canonical record (`event.fields`, Azure Monitor shape) used by the enrichers: the
 * activity, target resources, modified properties with their decoded old / new values, additionalDetails, and the
 * writer of derived fields under `event.fields.entrawatch`.
 */
import type { EntraEvent } from '../../normalize/event.js';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function properties(event: EntraEvent): JsonObject | undefined {
  const p = event.fields['properties'];
  return isObject(p) ? p : undefined;
}

/** The activity name (operationName, else properties.activityDisplayName), lowercased; '' when absent. */
export function activityOf(event: EntraEvent): string {
  const op = event.fields['operationName'] ?? properties(event)?.['activityDisplayName'];
  return typeof op === 'string' ? op.toLowerCase() : '';
}

export function targetResources(event: EntraEvent): JsonObject[] {
  const t = properties(event)?.['targetResources'];
  return Array.isArray(t) ? t.filter(isObject) : [];
}

export interface ModifiedProperty {
  /** the property name as logged */
  name: string;
  /** the decoded old / new values (JSON-decoded when the logged string is JSON, else the string) */
  oldValue: unknown;
  newValue: unknown;
  target: JsonObject;
}

/** Decodes a logged modifiedProperties value: the normalizer's `*Parsed` value, else JSON.parse of the string. */
export function decodeValue(parsed: unknown, logged: unknown): unknown {
  if (parsed !== undefined) return parsed;
  if (typeof logged !== 'string') return logged;
  const s = logged.trim();
  if (s === '') return '';
  try {
    return JSON.parse(s);
  } catch {
    return logged;
  }
}

export function modifiedProperties(event: EntraEvent): ModifiedProperty[] {
  const out: ModifiedProperty[] = [];
  for (const target of targetResources(event)) {
    const mps = target['modifiedProperties'];
    if (!Array.isArray(mps)) continue;
    for (const mp of mps) {
      if (!isObject(mp) || typeof mp['displayName'] !== 'string') continue;
      out.push({
        name: mp['displayName'],
        oldValue: decodeValue(mp['oldValueParsed'], mp['oldValue']),
        newValue: decodeValue(mp['newValueParsed'], mp['newValue']),
        target,
      });
    }
  }
  return out;
}

/** The first modified property whose name equals one of `names` (case-insensitive). */
export function findModifiedProperty(event: EntraEvent, names: readonly string[]): ModifiedProperty | undefined {
  const wanted = names.map((n) => n.toLowerCase());
  return modifiedProperties(event).find((mp) => wanted.includes(mp.name.toLowerCase()));
}

/** Value of the additionalDetails entry whose key equals `key` (case-insensitive). */
export function additionalDetail(event: EntraEvent, key: string): string | undefined {
  const details = properties(event)?.['additionalDetails'];
  if (!Array.isArray(details)) return undefined;
  const lower = key.toLowerCase();
  for (const d of details) {
    if (isObject(d) && typeof d['key'] === 'string' && d['key'].toLowerCase() === lower) {
      const v = d['value'];
      if (typeof v === 'string' && v !== '') return v;
    }
  }
  return undefined;
}

/** Flattens a decoded value to its string leaves (arrays flattened, objects skipped). */
export function stringLeaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringLeaves);
  return [];
}

/** Sets `event.fields.entrawatch.<name>`; empty arrays and undefined are not written (so `|exists` stays false). */
export function setDerived(event: EntraEvent, name: string, value: unknown): void {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return;
  let bag = event.fields['entrawatch'];
  if (!isObject(bag)) {
    bag = {};
    event.fields['entrawatch'] = bag;
  }
  (bag as JsonObject)[name] = value;
}

/** Lowercased set of a placeholder's values ([] when the placeholder is not configured). */
export function placeholderSet(
  placeholders: Record<string, readonly string[]> | undefined,
  name: string,
): Set<string> {
  return new Set((placeholders?.[name] ?? []).map((v) => v.toLowerCase()));
}

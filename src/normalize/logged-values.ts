/**
 * Audit `modifiedProperties[].oldValue/newValue` (and legacy `targetUpdatedProperties[].OldValue/NewValue`) are
 * JSON-encoded strings as logged ("[\"https://a\"]"). We add `oldValueParsed` / `newValueParsed`: the decoded JSON,
 * or the string itself when it is not JSON. Entries are copied; the logged ones are never changed.
 */
import { copyObject, isObject, type JsonObject } from './values.js';

/** Decode a logged value: JSON when it parses, else the value as it is. */
export function parseLoggedValue(value: unknown): unknown {
  if (typeof value !== 'string' || value.length === 0) return value;
  const c = value.charCodeAt(0);
  // only try what can start JSON: [ { " digit - t f n
  const maybe = c === 0x5b || c === 0x7b || c === 0x22 || c === 0x2d || (c >= 0x30 && c <= 0x39) ||
    value === 'true' || value === 'false' || value === 'null';
  if (!maybe) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function withParsed(entry: JsonObject, oldKey: string, newKey: string): JsonObject {
  const copy = copyObject(entry);
  copy.oldValueParsed = parseLoggedValue(entry[oldKey]);
  copy.newValueParsed = parseLoggedValue(entry[newKey]);
  return copy;
}

/** A copy of a modifiedProperties list with parsed values; undefined when it is not a list. */
export function parseModifiedProperties(list: unknown): JsonObject[] | undefined {
  if (!Array.isArray(list)) return undefined;
  return list.filter(isObject).map((e) => withParsed(e, 'oldValue', 'newValue'));
}

/** Legacy audit shape: [{Name, OldValue, NewValue}] (any case of the keys). */
export function parseTargetUpdatedProperties(list: unknown): JsonObject[] | undefined {
  if (!Array.isArray(list)) return undefined;
  return list.filter(isObject).map((e) => {
    const oldKey = 'OldValue' in e ? 'OldValue' : 'oldValue';
    const newKey = 'NewValue' in e ? 'NewValue' : 'newValue';
    return withParsed(e, oldKey, newKey);
  });
}

/** A copy of targetResources where every modifiedProperties list carries parsed values. */
export function withParsedTargetResources(targets: unknown): unknown {
  if (!Array.isArray(targets)) return targets;
  return targets.map((t) => {
    if (!isObject(t)) return t;
    const parsed = parseModifiedProperties(t.modifiedProperties);
    if (parsed === undefined) return t;
    const copy = copyObject(t);
    copy.modifiedProperties = parsed;
    return copy;
  });
}

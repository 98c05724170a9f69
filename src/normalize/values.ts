/**
 * Small value helpers shared by the normalizers: object tests, "absent" values, typed coercions.
 * Entra writes placeholders for missing data: "" , "hidden" (unlicensed fields), "<null>" (callerIpAddress),
 * "null", "None", "N/A". They are kept as logged in `raw` and `fields`, and treated as absent in `cim`.
 */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A shallow copy of a JSON object: the same own keys in the same order as `{ ...source }`, with a "__proto__" key
 * kept as a plain own key. Object.assign copies the same keys in the same order and takes a fast builtin path on
 * parsed records (about 2x the Object.keys loop, which was itself several times faster than the spread), but it
 * *sets* each key: a "__proto__" key would change the copy's prototype, so such objects take the loop.
 */
export function copyObject(source: JsonObject): JsonObject {
  if (!Object.hasOwn(source, '__proto__')) return Object.assign({}, source);
  const copy: JsonObject = {};
  const keys = Object.keys(source);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key === '__proto__') {
      Object.defineProperty(copy, key, { value: source[key], enumerable: true, writable: true, configurable: true });
    } else {
      copy[key] = source[key];
    }
  }
  return copy;
}

/** The placeholders: '', 'hidden', 'Hidden', '<null>', 'null', 'None', 'N/A' (tested by length first: hot path). */
function isAbsentString(value: string): boolean {
  switch (value.length) {
    case 0:
      return true;
    case 3:
      return value === 'N/A';
    case 4:
      return value === 'null' || value === 'None';
    case 6:
      return value === 'hidden' || value === 'Hidden' || value === '<null>';
    default:
      return false;
  }
}

/** A string fit for a CIM field, or undefined when the value is missing or a placeholder. Numbers become strings. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return isAbsentString(value) ? undefined : value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  return undefined;
}

/** The first present text among the values (fixed parameters, not a rest array: called several times a record). */
export function firstText(a: unknown, b: unknown, c?: unknown): string | undefined {
  return text(a) ?? text(b) ?? text(c);
}

/** A number from a number or a numeric string ("120", " 7 "); undefined otherwise. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.length > 0) {
    const n = Number(value);
    return Number.isFinite(n) && value.trim().length > 0 ? n : undefined;
  }
  return undefined;
}

/** true/false from a boolean or "true"/"false"/"yes"/"no" strings (any case); undefined otherwise. */
export function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === 'true' || v === 'yes') return true;
    if (v === 'false' || v === 'no') return false;
  }
  return undefined;
}

/** The value at `key` of `obj` when obj is an object. */
export function get(obj: unknown, key: string): unknown {
  return isObject(obj) ? obj[key] : undefined;
}

/**
 * Value of a `[{key, value}]` list (additionalDetails) for an ASCII key, case-insensitive.
 * Only keys of the same length are lowercased (no new string per item): toLowerCase keeps the length of every
 * string whose lowercase is ASCII (the one mapping that grows a string, U+0130, gives a non-ASCII result).
 */
export function detailValue(list: unknown, key: string): unknown {
  if (!Array.isArray(list)) return undefined;
  const wanted = key.toLowerCase();
  for (let i = 0; i < list.length; i++) {
    const item: unknown = list[i];
    if (!isObject(item)) continue;
    const k = item.key;
    if (typeof k === 'string' && k.length === wanted.length && (k === key || k.toLowerCase() === wanted)) return item.value;
  }
  return undefined;
}

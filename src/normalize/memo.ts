/**
 * Results of a pure string function kept by the exact argument, for the few distinct strings that come back on
 * every record (category spellings, level names, activity names, target types): one Map lookup instead of a
 * lowercasing (a new string) or regex tests per record. Bounded: past `max` distinct arguments the others are
 * computed each time, and so are strings longer than `longest` (a 5 MB "category" is not kept), so odd input cannot
 * make the map big.
 */
export function memoByString<T>(compute: (value: string) => T, max = 256, longest = 128): (value: string) => T {
  const kept = new Map<string, T>();
  return (value) => {
    const hit = kept.get(value);
    if (hit !== undefined || kept.has(value)) return hit as T;
    const result = compute(value);
    if (kept.size < max && value.length <= longest) kept.set(value, result);
    return result;
  };
}

/** `value.toLowerCase()`, kept for the strings seen often. */
export const lowerCase = memoByString((value) => value.toLowerCase());

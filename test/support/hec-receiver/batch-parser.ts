/**
 * Parses an HEC /services/collector/event body the way Splunk does: JSON objects concatenated one after the
 * other (whitespace between them allowed), no enclosing array, no commas. Returns every object, or the 0-based
 * number of the first event that is not a well-formed JSON object (Splunk's `invalid-event-number`).
 */

export type ParsedBatch =
  | { ok: true; events: Array<{ value: Record<string, unknown>; bytes: number }> }
  | { ok: false; invalidEventNumber: number; problem: string };

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Index just past the object that starts at `start` (a '{'), or -1 when the text ends before it closes. */
function endOfObject(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) depth++;
    else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

export function parseConcatenatedJson(text: string): ParsedBatch {
  const events: Array<{ value: Record<string, unknown>; bytes: number }> = [];
  let i = 0;
  for (;;) {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    if (i >= text.length) return { ok: true, events };
    const n = events.length;
    if (text.charCodeAt(i) !== 0x7b) {
      return { ok: false, invalidEventNumber: n, problem: `expected '{' at offset ${i}, found '${text[i]}'` };
    }
    const end = endOfObject(text, i);
    if (end < 0) return { ok: false, invalidEventNumber: n, problem: 'object not closed' };
    const slice = text.slice(i, end);
    let value: unknown;
    try {
      value = JSON.parse(slice);
    } catch (err) {
      return { ok: false, invalidEventNumber: n, problem: (err as Error).message };
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return { ok: false, invalidEventNumber: n, problem: 'not an object' };
    }
    events.push({ value: value as Record<string, unknown>, bytes: Buffer.byteLength(slice) });
    i = end;
  }
}

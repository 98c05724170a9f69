/**
 * The splitter must give the same items whatever the chunk boundaries: a record split across chunks at any byte
 * (inside a string, an escape, a key, between envelopes) is reassembled. Regression: a chunk arriving when the
 * scanner had consumed the whole buffer replaced the kept start of the record being read.
 */
import { describe, expect, it } from 'vitest';
import { JsonSplitter } from '../../../src/decode/json-splitter.js';

function split(text: string, size: number): Array<{ kind: string; text?: string }> {
  const s = new JsonSplitter();
  const out: Array<{ kind: string; text?: string }> = [];
  for (let i = 0; i < text.length; i += size) out.push(...s.push(text.slice(i, i + size)));
  out.push(...s.end());
  return out;
}

describe('JsonSplitter chunk boundaries', () => {
  const records = [
    { time: '2026-11-02T10:00:00.0000000Z', properties: { id: 'a', s: 'quote " and \\ backslash', nested: [1, { k: 'v' }] } },
    { time: '2026-11-02T10:00:01.0000000Z', properties: { id: 'b', s: 'ünïcödé ✓', list: [] } },
    { time: '2026-11-02T10:00:02.0000000Z', properties: { id: 'c' } },
  ];
  const envelopeLines = [JSON.stringify({ records: records.slice(0, 2) }), JSON.stringify({ records: records.slice(2) })].join('\n') + '\n';
  const array = JSON.stringify(records, null, 2);
  const ndjson = records.map((r) => JSON.stringify(r)).join('\n') + '\n';

  for (const [name, text] of [['envelopes, one per line', envelopeLines], ['pretty-printed array', array], ['NDJSON', ndjson]] as const) {
    it(`${name}: every chunk size from 1 to 64 gives the same records`, () => {
      for (let size = 1; size <= 64; size++) {
        const items = split(text, size);
        expect(items.every((i) => i.kind === 'value'), `chunk size ${size}: ${JSON.stringify(items).slice(0, 300)}`).toBe(true);
        expect(items.map((i) => JSON.parse(i.text!) as unknown), `chunk size ${size}`).toEqual(records);
      }
    });
  }
});

// JsonSplitter: cuts JSON text into one slice per record, across chunk boundaries, with recovery and limits.
import { describe, expect, it } from 'vitest';
import { JsonSplitter, type SplitItem } from '../../../src/decode/json-splitter.js';

function split(chunks: string[], options?: ConstructorParameters<typeof JsonSplitter>[0]): SplitItem[] {
  const s = new JsonSplitter(options);
  const out: SplitItem[] = [];
  for (const c of chunks) out.push(...s.push(c));
  out.push(...s.end());
  return out;
}
const texts = (items: SplitItem[]) => items.map((i) => (i.kind === 'value' ? i.text : `ERR ${i.reason}`));

describe('JsonSplitter', () => {
  it('yields the elements of an envelope, skipping the other keys', () => {
    const items = split(['{"@odata.context":"x","records":[{"a":1},{"b":"]}"}],"next":[1]}']);
    expect(texts(items)).toEqual(['{"a":1}', '{"b":"]}"}']);
    expect(items.map((i) => i.index)).toEqual([0, 1]);
  });

  it('yields the same items whatever the chunk boundaries (strings, escapes, brackets split)', () => {
    const doc = '[{"a":"x\\"}\\\\"},{"b":[1,{"c":"\\u00e9"}]}, {"d":null}]\n{"e":1}\n';
    const whole = texts(split([doc]));
    expect(whole).toEqual(['{"a":"x\\"}\\\\"}', '{"b":[1,{"c":"\\u00e9"}]}', '{"d":null}', '{"e":1}']);
    for (let size = 1; size <= 7; size++) {
      const chunks: string[] = [];
      for (let i = 0; i < doc.length; i += size) chunks.push(doc.slice(i, i + size));
      expect(texts(split(chunks))).toEqual(whole);
    }
  });

  it('reads NDJSON, concatenated and pretty-printed documents with 1-based line numbers', () => {
    const items = split(['{"a":1}\n{"records":[{"b":2},{"c":3}]}\n\n{"d":\n4}']);
    expect(texts(items).slice(0, 3)).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
    expect(items[0].line).toBe(1);
    expect(items[1].line).toBe(2);
    const pretty = split(['{\n  "records": [\n    {"a": 1},\n    {"b": 2}\n  ]\n}\n{\n  "records": [ {"c": 3} ]\n}\n']);
    expect(texts(pretty)).toEqual(['{"a": 1}', '{"b": 2}', '{"c": 3}']);
    expect(pretty.map((i) => i.line)).toEqual([3, 4, 8]);
  });

  it('in NDJSON, a broken line fails alone and the next lines are read', () => {
    const items = split(['{"a":1}\n{"b": [\n{"c":3}\nnot json\n{"d":4}\n']);
    expect(items.map((i) => i.kind)).toEqual(['value', 'error', 'value', 'error', 'value']);
    expect(items[1]).toMatchObject({ line: 2 });
    expect(items[3]).toMatchObject({ line: 4, snippet: 'not json' });
    expect((items[4] as { text: string }).text).toBe('{"d":4}');
  });

  it('reports truncated input and keeps the records before it', () => {
    const items = split(['{"records":[{"a":1},{"b":']);
    expect(items[0]).toMatchObject({ kind: 'value', text: '{"a":1}' });
    expect(items[1]).toMatchObject({ kind: 'error', index: 1 });
    expect((items[1] as { reason: string }).reason).toMatch(/truncated/);
  });

  it('fails a record nested deeper than the limit and goes on', () => {
    const deep = '['.repeat(1000) + ']'.repeat(1000);
    const items = split([`[{"a":${deep}},{"ok":true}]`]);
    expect(items[0].kind).toBe('error');
    expect((items[0] as { reason: string }).reason).toMatch(/nested deeper than 64/);
    expect(items[1]).toMatchObject({ kind: 'value', text: '{"ok":true}' });
  });

  it('fails a record longer than maxItemChars without keeping its text', () => {
    const big = `{"x":"${'a'.repeat(5000)}"}`;
    const items = split([`[${big.slice(0, 100)}`, big.slice(100), ',{"y":1}]'], { maxItemChars: 1000 });
    expect(items[0]).toMatchObject({ kind: 'error', snippet: '' });
    expect(items[1]).toMatchObject({ kind: 'value', text: '{"y":1}' });
  });

  it('reports scalars in arrays as items (for the caller to reject) and junk lines as errors', () => {
    expect(texts(split(['[1, "s", true]']))).toEqual(['1', '"s"', 'true']);
    const items = split(['hello\n{"a":1}']);
    expect(items[0]).toMatchObject({ kind: 'error', line: 1, snippet: 'hello' });
    expect(items[1]).toMatchObject({ kind: 'value', text: '{"a":1}', line: 2 });
  });

  it('yields nothing for blank input', () => {
    expect(split(['', '  \n\n '])).toEqual([]);
  });
});

/** The test receiver's batch parser reads HEC bodies exactly as Splunk does: concatenated objects only. */
import { describe, expect, it } from 'vitest';
import { parseConcatenatedJson } from '../../../support/hec-receiver/batch-parser.js';

describe('parseConcatenatedJson', () => {
  it('reads concatenated objects with or without whitespace, braces inside strings included', () => {
    const r = parseConcatenatedJson('{"event":"a"}{"event":"}{\\"x"}\n\t{"event":{"n":[1,{"m":2}]}}');
    expect(r.ok && r.events.map((e) => e.value.event)).toEqual(['a', '}{"x', { n: [1, { m: 2 }] }]);
  });
  it('refuses arrays, commas, scalars, truncated objects with the number of the bad event', () => {
    expect(parseConcatenatedJson('[{"event":"a"}]')).toMatchObject({ ok: false, invalidEventNumber: 0 });
    expect(parseConcatenatedJson('{"event":"a"},{"event":"b"}')).toMatchObject({ ok: false, invalidEventNumber: 1 });
    expect(parseConcatenatedJson('{"event":"a"} 5')).toMatchObject({ ok: false, invalidEventNumber: 1 });
    expect(parseConcatenatedJson('{"event":"a"}{"event":')).toMatchObject({ ok: false, invalidEventNumber: 1 });
    expect(parseConcatenatedJson('{"event":"a",}')).toMatchObject({ ok: false, invalidEventNumber: 0 });
  });
  it('an empty body is an empty batch', () => {
    expect(parseConcatenatedJson('  ')).toEqual({ ok: true, events: [] });
  });
});

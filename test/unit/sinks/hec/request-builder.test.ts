import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildHecBody } from '../../../../src/sinks/hec/request-builder.js';

const events = [
  JSON.stringify({ event: { user: 'zoë@contoso.com', note: '日本語 ✓ 😀' } }),
  JSON.stringify({ event: 'a' }),
  // a lone surrogate: written as U+FFFD exactly as Buffer.from does
  `{"event":"bad \ud800 half"}`,
  '',
  JSON.stringify({ event: 'x'.repeat(5000) }),
];

describe('buildHecBody', () => {
  it('writes the same bytes as joining the events with newlines', async () => {
    const expected = Buffer.from(events.join('\n'), 'utf8');
    const plain = await buildHecBody(events, false);
    expect(plain.body.equals(expected)).toBe(true);
    expect(plain.uncompressedBytes).toBe(expected.length);
    const zipped = await buildHecBody(events, true, 1);
    expect(zipped.gzip).toBe(true);
    expect(gunzipSync(zipped.body).equals(expected)).toBe(true);
  });

  it('handles one event and no events', async () => {
    expect((await buildHecBody(['{"event":1}'], false)).body.toString()).toBe('{"event":1}');
    expect((await buildHecBody([], false)).body.length).toBe(0);
  });
});

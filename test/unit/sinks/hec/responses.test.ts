/** What each HEC answer means for the sender (reference/splunk.md §1 table), split ranges and backoff. */
import { describe, expect, it } from 'vitest';
import { classifyHecReply, parseHecReply } from '../../../../src/sinks/hec/responses.js';
import { backoffDelayMs } from '../../../../src/sinks/hec/retry.js';
import { splitRanges } from '../../../../src/sinks/hec/sink.js';

const verdict = (status: number, body: object | string) =>
  classifyHecReply(parseHecReply(status, typeof body === 'string' ? body : JSON.stringify(body)));

describe('classifyHecReply', () => {
  it('accepts 200 code 0, with the ackId', () => {
    expect(verdict(200, { text: 'Success', code: 0, ackId: 7 })).toEqual({ kind: 'accepted', ackId: 7 });
    expect(verdict(200, { text: 'Success', code: 0 })).toEqual({ kind: 'accepted' });
  });
  it.each([
    [403, 1, /disabled \(code 1\)/],
    [401, 2, /required \(code 2\)/],
    [401, 3, /Authorization header \(code 3\)/],
    [403, 4, /invalid \(code 4\): check sinks.hec.token/],
    [400, 7, /Incorrect index \(code 7\)/],
    [400, 10, /channel \(code 10\)/],
    [400, 11, /channel \(code 11\)/],
    [400, 14, /useAck: false/],
    [400, 16, /query-string/],
    [400, 21, /invalid \(code 21\)/],
    [400, 22, /disabled \(code 22\)/],
  ])('HTTP %i code %i is fatal with what to do', (status, code, message) => {
    const v = verdict(status, { text: 'x', code });
    expect(v.kind).toBe('fatal');
    expect(v.kind === 'fatal' && v.message).toMatch(message);
  });
  it('404 is fatal (wrong URL)', () => {
    expect(verdict(404, { text: 'The requested URL was not found on this server.', code: 404 })).toMatchObject({ kind: 'fatal' });
  });
  it.each([
    [503, { code: 9, text: 'Server is busy' }, true],
    [503, { code: 18 }, true],
    [503, { code: 20 }, true],
    [429, 'Too Many Requests', true],
    [500, { code: 8, text: 'Internal server error' }, false],
    [502, '<html>bad gateway</html>', false],
  ])('HTTP %i %j is retried (busy: %s)', (status, body, busy) => {
    expect(verdict(status, body)).toMatchObject({ kind: 'retry', busy });
  });
  it('413 and 400 codes 5, 6, 12, 13, 15 split the batch; code 6 keeps invalid-event-number', () => {
    expect(verdict(413, { text: 'Content-Length of 5 too large' })).toMatchObject({ kind: 'split' });
    expect(verdict(400, { text: 'Invalid data format', code: 6, 'invalid-event-number': 3 })).toEqual({
      kind: 'split',
      reason: 'HEC 400 code 6: Invalid data format',
      invalidEventNumber: 3,
    });
    for (const code of [5, 12, 13, 15]) expect(verdict(400, { code }).kind).toBe('split');
  });
});

describe('splitRanges', () => {
  it('cuts around the invalid event when HEC names it, else in halves', () => {
    expect(splitRanges(10, 4)).toEqual([[0, 4], [4, 5], [5, 10]]);
    expect(splitRanges(10, 0)).toEqual([[0, 1], [1, 10]]);
    expect(splitRanges(10, 9)).toEqual([[0, 9], [9, 10]]);
    expect(splitRanges(10, 12)).toEqual([[0, 5], [5, 10]]);
    expect(splitRanges(3)).toEqual([[0, 2], [2, 3]]);
  });
});

describe('backoffDelayMs', () => {
  it('grows exponentially up to max; full jitter draws between 0 and the step', () => {
    const s = { baseMs: 100, maxMs: 1000, jitter: false };
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelayMs(a, s))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelayMs(3, { ...s, jitter: true }, () => 0.5)).toBe(400);
    expect(backoffDelayMs(3, { ...s, jitter: true }, () => 0)).toBe(0);
  });
});

// decodeMessage: one Kafka / Event Hubs body -> one result per record, bad records failing alone.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../src/decode/index.js';
import { DecodeError } from '../../../src/errors.js';

const origin = { source: 'kafka:entra', topic: 'entra', partition: 0, offset: '42' };
const signIn = { time: '2024-03-12T16:02:15.5522137Z', category: 'SignInLogs', operationName: 'Sign-in activity', properties: { id: 's1' } };
const graphSignIn = { id: 'g1', createdDateTime: '2024-03-12T16:02:15Z', userPrincipalName: 'a@b.c', status: { errorCode: 0 } };

describe('decodeMessage', () => {
  it('unwraps an Event Hubs envelope, keeping the Kafka origin and adding the record index', () => {
    const results = decodeMessage(Buffer.from(JSON.stringify({ records: [signIn, signIn] })), origin);
    expect(results).toHaveLength(2);
    expect(results[1]).toMatchObject({ ok: true, format: 'azure-monitor', origin: { ...origin, index: 1 } });
  });

  it('reads a bare record, a JSON array, a Graph page and NDJSON', () => {
    expect(decodeMessage(JSON.stringify(signIn), origin)).toMatchObject([{ ok: true, format: 'azure-monitor' }]);
    expect(decodeMessage(JSON.stringify([graphSignIn, signIn]), origin)).toMatchObject([
      { ok: true, format: 'graph' },
      { ok: true, format: 'azure-monitor' },
    ]);
    const page = { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns', value: [graphSignIn] };
    expect(decodeMessage(JSON.stringify(page), origin)).toMatchObject([{ ok: true, format: 'graph', record: graphSignIn }]);
    const ndjson = `${JSON.stringify(signIn)}\n${JSON.stringify({ records: [signIn] })}\n${JSON.stringify(graphSignIn)}\n`;
    expect(decodeMessage(ndjson, { source: 'x' }).map((r) => r.ok && r.origin.line)).toEqual([1, 2, 3]);
  });

  it('inflates a gzip body', () => {
    const body = gzipSync(Buffer.from(JSON.stringify({ records: [signIn] })));
    expect(decodeMessage(body, origin)).toMatchObject([{ ok: true, record: signIn }]);
  });

  it('a malformed record inside an envelope fails alone, with its index and a snippet', () => {
    const body = `{"records":[${JSON.stringify(signIn)},{"time": ,"x":1},${JSON.stringify(signIn)}]}`;
    const results = decodeMessage(body, origin);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    const bad = results[1];
    if (bad.ok) throw new Error('expected a failure');
    expect(bad.error).toBeInstanceOf(DecodeError);
    expect(bad.error.reason).toMatch(/invalid JSON/);
    expect(bad.origin).toMatchObject({ ...origin, index: 1 });
    expect(bad.snippet).toBe('{"time": ,"x":1}');
  });

  it('fails cleanly: truncated body, empty body, scalar records, too-deep records', () => {
    const truncated = decodeMessage(`{"records":[${JSON.stringify(signIn)},{"time":"2024`, origin);
    expect(truncated.map((r) => r.ok)).toEqual([true, false]);
    expect(decodeMessage('', origin)).toMatchObject([{ ok: false }]);
    expect(decodeMessage('   ', origin)).toMatchObject([{ ok: false }]);
    const scalars = decodeMessage('{"records":[1,null,"x"]}', origin);
    expect(scalars.every((r) => !r.ok && /not a JSON object/.test(r.error.reason))).toBe(true);
    let deep: unknown = 1;
    for (let i = 0; i < 1000; i++) deep = { d: deep };
    const results = decodeMessage(JSON.stringify({ records: [{ ...signIn, properties: { id: 'x', deep } }, signIn] }), origin);
    expect(results.map((r) => r.ok)).toEqual([false, true]);
    expect(!results[0].ok && results[0].error.reason).toMatch(/nested deeper/);
  });

  it('passes a 5 MB string and invalid UTF-8 (replaced by U+FFFD)', () => {
    const big = 'x'.repeat(5 * 1024 * 1024);
    const results = decodeMessage(JSON.stringify({ records: [{ ...signIn, properties: { id: 'big', userAgent: big } }] }), origin);
    expect(results[0].ok && (results[0].record.properties as { userAgent: string }).userAgent.length).toBe(big.length);
    const bytes = Buffer.concat([Buffer.from('{"records":[{"time":"2024-03-12T16:02:15Z","category":"SignInLogs","properties":{"id":"u","userDisplayName":"A'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}}]}')]);
    const utf = decodeMessage(bytes, origin);
    expect(utf[0].ok && (utf[0].record.properties as { userDisplayName: string }).userDisplayName).toContain('\ufffd');
  });
});

// decodeStream / decodePath: files and stdin, streamed; gzip by magic bytes; JSON or CSV by content.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodePath, decodeStream, type DecodeResult } from '../../../src/decode/index.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/records');

async function all(results: AsyncIterable<DecodeResult>): Promise<DecodeResult[]> {
  const out: DecodeResult[] = [];
  for await (const r of results) out.push(r);
  return out;
}
const streamOf = (...chunks: Array<string | Buffer>) => Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)));
const record = (i: number) => ({ time: '2024-03-12T16:02:15Z', category: 'SignInLogs', properties: { id: `r${i}`, pad: 'p'.repeat(2000) } });

describe('decodeStream', () => {
  it('streams a multi-MB {"records":[...]} document: the first record comes out long before the input ends', async () => {
    const total = 3000; // ~6.5 MB
    let produced = 0;
    let bytesAtFirstRecord = -1;
    async function* source(): AsyncGenerator<Buffer> {
      yield Buffer.from('{"records":[');
      for (let i = 0; i < total; i++) {
        const chunk = Buffer.from((i > 0 ? ',' : '') + JSON.stringify(record(i)));
        produced += chunk.length;
        yield chunk;
      }
      yield Buffer.from(']}');
    }
    let count = 0;
    for await (const r of decodeStream(Readable.from(source()), 'big.json')) {
      if (count === 0) bytesAtFirstRecord = produced;
      expect(r.ok).toBe(true);
      count++;
    }
    expect(count).toBe(total);
    expect(produced).toBeGreaterThan(6_000_000);
    expect(bytesAtFirstRecord).toBeGreaterThan(0);
    expect(bytesAtFirstRecord).toBeLessThan(200_000);
  });

  it('detects gzip by magic bytes, whatever the name, and reads NDJSON of envelopes inside', async () => {
    const ndjson = `${JSON.stringify({ records: [record(1), record(2)] })}\n${JSON.stringify({ records: [record(3)] })}\n`;
    const results = await all(decodeStream(streamOf(gzipSync(ndjson)), 'capture.bin'));
    expect(results.map((r) => r.ok && (r.record.properties as { id: string }).id)).toEqual(['r1', 'r2', 'r3']);
    expect(results[2].origin).toMatchObject({ source: 'capture.bin', line: 2, index: 0 });
  });

  it('reports a corrupt gzip stream after the records read so far', async () => {
    const gz = gzipSync(JSON.stringify({ records: [record(1)] }) + '\n' + JSON.stringify(record(2)));
    const corrupt = Buffer.concat([gz.subarray(0, gz.length - 12), Buffer.from('garbagegarbage')]);
    const results = await all(decodeStream(streamOf(corrupt), 'bad.gz'));
    expect(results.at(-1)?.ok).toBe(false);
  });

  it('yields nothing for an empty or blank file', async () => {
    expect(await all(decodeStream(streamOf(''), 'empty.json'))).toEqual([]);
    expect(await all(decodeStream(streamOf(' \n\n'), 'blank.json'))).toEqual([]);
    expect(await all(decodeStream(streamOf(gzipSync('')), 'empty.gz'))).toEqual([]);
  });

  it('keeps going after malformed and too-deep records, with file, line and index in the origin', async () => {
    const deep = '{"d":'.repeat(1000) + '1' + '}'.repeat(1000);
    const text = `{"records":[\n${JSON.stringify(record(1))},\n{"bad": },\n${deep},\n${JSON.stringify(record(2))}\n]}`;
    const results = await all(decodeStream(streamOf(text.slice(0, 50), text.slice(50)), 'file.json'));
    expect(results.map((r) => r.ok)).toEqual([true, false, false, true]);
    expect(results[1].origin).toMatchObject({ source: 'file.json', line: 3, index: 1 });
    expect(results[2].origin).toMatchObject({ line: 4, index: 2 });
  });

  it('reads a CSV with padded, duplicate and spaced headers and a quoted multi-line cell', async () => {
    const csv = [
      '\ufeffDate (UTC), Request ID ,Application ID ,Location,Location,Autonomous system  number,Failure reason',
      '2024-03-12T16:02:15Z,req-1,app-1,,"Paris, Paris, FR",3215,"line one',
      'line two, with comma"',
      '2024-03-12T16:03:15Z,req-2',
    ].join('\r\n');
    const results = await all(decodeStream(streamOf(csv), 'InteractiveSignIns_x.csv'));
    expect(results).toHaveLength(2);
    const [first, second] = results;
    if (!first.ok || !second.ok) throw new Error('expected records');
    expect(first.format).toBe('csv-signin');
    expect(first.record).toMatchObject({
      'Date (UTC)': '2024-03-12T16:02:15Z',
      'Request ID': 'req-1',
      'Application ID': 'app-1',
      Location: '',
      'Location#2': 'Paris, Paris, FR',
      'Autonomous system number': '3215',
      'Failure reason': 'line one\r\nline two, with comma',
    });
    expect(first.origin).toEqual({ source: 'InteractiveSignIns_x.csv', line: 2 });
    expect(second.record).toEqual({ 'Date (UTC)': '2024-03-12T16:03:15Z', 'Request ID': 'req-2' }); // short row
    expect(second.origin.line).toBe(3);
  });

  it('tells audit and auth-details CSVs by header, and rejects an unknown CSV once', async () => {
    const audit = await all(decodeStream(streamOf('Date (UTC),CorrelationId,Service,Activity\n2024-03-12T17:20:01Z,c,B2C,Add user\n'), 'a.csv'));
    expect(audit[0]).toMatchObject({ ok: true, format: 'csv-audit' });
    const auth = await all(decodeStream(streamOf('Request ID,Date (UTC),Authentication method,Succeeded\nr,2024-03-12T17:20:01Z,Password,false\n'), 'b.csv'));
    expect(auth[0]).toMatchObject({ ok: true, format: 'csv-signin-authdetails' });
    const other = await all(decodeStream(streamOf('name,age\nbob,3\nal,4\n'), 'c.csv'));
    expect(other).toHaveLength(1);
    expect(other[0].ok).toBe(false);
  });

  it('never lets a CSV header reach a prototype', async () => {
    const results = await all(decodeStream(streamOf('Date (UTC),__proto__,constructor\n2024-03-12T17:20:01Z,{"polluted":1},x\n'), 'p.csv'));
    const r = results[0];
    if (!r.ok) throw new Error('expected a record');
    expect(Object.getPrototypeOf(r.record)).toBe(Object.prototype);
    expect(Object.hasOwn(r.record, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('decodePath', () => {
  it('reads a directory recursively in sorted order, skipping manifest and config files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'entrawatch-decode-'));
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'b', '2.json'), JSON.stringify(record(2)));
    writeFileSync(join(dir, 'a.json.gz'), gzipSync(JSON.stringify([record(1)])));
    writeFileSync(join(dir, 'manifest.json'), '{"records": 2}');
    writeFileSync(join(dir, 'entrawatch.yaml'), 'x: 1');
    writeFileSync(join(dir, 'README.md'), '# hi');
    writeFileSync(join(dir, '.hidden.json'), '{}');
    const results = await all(decodePath(dir));
    expect(results.map((r) => r.ok && (r.record.properties as { id: string }).id)).toEqual(['r1', 'r2']);
  });

  it('reads the fixture files: every format, no failures', async () => {
    const results = await all(decodePath(FIXTURES));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.map((r) => r.ok && r.format).sort()).toEqual(
      ['azure-monitor', 'azure-monitor', 'csv-audit', 'csv-signin', 'csv-signin-authdetails', 'graph', 'graph'],
    );
  });

  it('reports a missing path as a failure', async () => {
    const results = await all(decodePath('/nonexistent/entrawatch'));
    expect(results).toHaveLength(1);
    expect(results[0].ok).toBe(false);
  });
});

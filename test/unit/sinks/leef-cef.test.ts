import { describe, expect, it } from 'vitest';
import { encodeCef, escapeCefHeader, escapeCefValue } from '../../../src/sinks/format/cef.js';
import { encodeLeef, escapeLeefHeader, sanitizeLeefValue } from '../../../src/sinks/format/leef.js';
import { detectionToSiemRecord, eventToSiemRecord } from '../../../src/sinks/format/siem-fields.js';
import { formatRfc5424, frameOctetCounting, OctetCountingParser } from '../../../src/sinks/syslog/rfc5424.js';
import { makeDetection, makeEvent } from '../../support/output-items.js';

const header = { vendor: 'entrawatch', product: 'entrawatch', version: '0.1.0' };

/** Splits a CEF extension into key -> unescaped value, the way a CEF parser must read it. */
function parseCefExtension(ext: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /(\w+)=((?:\\.|[^\\=])*?)(?= \w+=|$)/g;
  for (const m of ext.matchAll(re)) {
    out[m[1]!] = m[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));
  }
  return out;
}

describe('CEF', () => {
  it('escapes pipes and backslashes in header fields, and flattens newlines', () => {
    expect(escapeCefHeader('a|b\\c\nd')).toBe('a\\|b\\\\c d');
  });

  it('escapes backslash, equals and line breaks in extension values, not pipes', () => {
    expect(escapeCefValue('a=b\\c\r\nd|e')).toBe('a\\=b\\\\c\\r\\nd|e');
  });

  it('encodes a detection with the dictionary keys and labelled custom fields', () => {
    const line = encodeCef(detectionToSiemRecord(makeDetection(1)), header);
    const [cef, vendor, product, version, classId, name, severity, ...rest] = line.split('|');
    expect([cef, vendor, product, version, classId, name, severity]).toEqual([
      'CEF:0', 'entrawatch', 'entrawatch', '0.1.0', 'ca4_failed_signins_burst', 'Failed sign-ins burst', '5',
    ]);
    const ext = parseCefExtension(rest.join('|'));
    expect(ext.duser).toBe('user1@contosob2c.onmicrosoft.com');
    expect(ext.src).toBe('203.0.113.7');
    expect(ext.externalId).toBe('det-1');
    expect(ext.cs2).toBe('CA-4');
    expect(ext.cs2Label).toBe('seedRows');
    expect(ext.cnt).toBe('5');
    expect(ext.rt).toBe(String(makeDetection(1).time));
  });

  it('cannot be broken out of by hostile values', () => {
    const d = makeDetection(2, {});
    d.cim.description = 'evil | CEF:0|x|y= z\\ \n next=1';
    d.cim.user = 'a=b c=d';
    const line = encodeCef(detectionToSiemRecord(d), header);
    expect(line.split('\n')).toHaveLength(1);
    const ext = parseCefExtension(line.split('|').slice(7).join('|'));
    expect(ext.msg).toBe('evil | CEF:0|x|y= z\\ \n next=1');
    expect(ext.duser).toBe('a=b c=d');
    expect(ext.next).toBeUndefined();
  });

  it('puts IPv6 sources in c6a2, not src', () => {
    const d = makeDetection(3);
    d.cim.src = '2001:db8::7';
    const ext = parseCefExtension(encodeCef(detectionToSiemRecord(d), header).split('|').slice(7).join('|'));
    expect(ext.src).toBeUndefined();
    expect(ext.c6a2).toBe('2001:db8::7');
  });
});

describe('LEEF 2.0', () => {
  it('writes the 2.0 header with the delimiter field and tab-separated attributes', () => {
    const line = encodeLeef(detectionToSiemRecord(makeDetection(1)), header);
    const parts = line.split('|');
    expect(parts.slice(0, 6)).toEqual(['LEEF:2.0', 'entrawatch', 'entrawatch', '0.1.0', 'ca4_failed_signins_burst', 'x09']);
    const attrs = Object.fromEntries(parts.slice(6).join('|').split('\t').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
    expect(attrs.usrName).toBe('user1@contosob2c.onmicrosoft.com');
    expect(attrs.src).toBe('203.0.113.7');
    expect(attrs.sev).toBe('5');
    expect(attrs.seedRows).toBe('CA-4');
    expect(attrs.devTime).toBe(new Date(makeDetection(1).time).toISOString());
    expect(attrs.devTimeFormat).toBe("yyyy-MM-dd'T'HH:mm:ss.SSSX");
  });

  it('never lets a value carry the delimiter or a line break, and escapes header pipes', () => {
    expect(sanitizeLeefValue('a\tb\nc', '\t')).toBe('a b c');
    expect(escapeLeefHeader('ru|le\\x')).toBe('ru\\|le\\\\x');
    const d = makeDetection(4);
    d.cim.description = 'x\tsev=10\nLEEF:2.0|forged';
    const line = encodeLeef(detectionToSiemRecord(d), header);
    expect(line.split('\n')).toHaveLength(1);
    expect(line.split('\t').filter((kv) => kv.startsWith('sev='))).toEqual(['sev=5']);
  });

  it('declares a printable custom delimiter as itself', () => {
    const line = encodeLeef(eventToSiemRecord(makeEvent(1)), { ...header, delimiter: '^' });
    expect(line.split('|')[5]).toBe('^');
    expect(line).toContain('^usrName=user1@contosob2c.onmicrosoft.com^');
  });
});

describe('RFC 5424 and octet counting', () => {
  it('formats PRI, version, timestamp and NIL fields', () => {
    const msg = formatRfc5424({ facility: 'authpriv', severity: 3, time: Date.UTC(2026, 10, 2, 10, 0, 0, 123), hostname: 'host one', appName: 'entrawatch', msgId: 'detection' }, 'hello');
    expect(msg).toBe('<83>1 2026-11-02T10:00:00.123Z host_one entrawatch - detection - hello');
  });

  it('frames by UTF-8 byte length and parses frames split anywhere', () => {
    const frames = ['ä one', 'two 2', 'drei ß'].map(frameOctetCounting);
    expect(frames[0]!.toString('utf8')).toBe('6 ä one');
    const all = Buffer.concat(frames);
    const parser = new OctetCountingParser();
    const got: string[] = [];
    for (let i = 0; i < all.length; i += 3) got.push(...parser.push(all.subarray(i, i + 3)));
    expect(got).toEqual(['ä one', 'two 2', 'drei ß']);
  });

  it('rejects a non-numeric frame length', () => {
    expect(() => new OctetCountingParser().push(Buffer.from('<13>1 not framed'))).toThrow(/frame length/);
  });
});

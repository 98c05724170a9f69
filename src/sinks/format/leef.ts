/**
 * IBM QRadar Log Event Extended Format 2.0:
 *   LEEF:2.0|Vendor|Product|Version|EventID|DelimiterCharacter|key=value<delim>key=value...
 * The delimiter is declared in the header (default tab, written `x09`). LEEF defines no escape for the delimiter
 * or line breaks inside values, so those characters are replaced by a space in values (documented in
 * docs/leef-cef.md); `|` in header fields is escaped as `\|` and `\` as `\\`. Keys are LEEF predefined attributes
 * where one exists (usrName, src, cat, sev, devTime, identHostName), else
 * entrawatch custom keys (camelCase, no spaces).
 */
import type { SiemKey, SiemRecord } from './siem-fields.js';

export interface LeefHeader {
  vendor: string;
  product: string;
  version: string;
  /** one character; default tab */
  delimiter?: string;
}

export function escapeLeefHeader(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
}

export function sanitizeLeefValue(value: string, delimiter: string): string {
  let out = value.replace(/[\r\n]+/g, ' ');
  if (out.includes(delimiter)) out = out.split(delimiter).join(' ');
  return out;
}

/** entrawatch key -> LEEF attribute key */
export const LEEF_KEYS: Record<SiemKey, string> = {
  id: 'externalId',
  user: 'usrName',
  src: 'src',
  app: 'application',
  dest: 'identHostName',
  category: 'cat',
  action: 'action',
  outcome: 'outcome',
  reason: 'reason',
  signature: 'signature',
  description: 'msg',
  seedRows: 'seedRows',
  ruleId: 'ruleId',
  level: 'level',
  count: 'eventCount',
  windowStart: 'windowStart',
  windowEnd: 'windowEnd',
  eventIds: 'eventIds',
  mitre: 'mitreTechniques',
  country: 'country',
  userAgent: 'userAgent',
};

/** The header field for the delimiter: printable characters as themselves, others as xHH (e.g. x09 for tab). */
function delimiterField(delimiter: string): string {
  const code = delimiter.charCodeAt(0);
  return code > 0x20 && code < 0x7f && delimiter !== '|' ? delimiter : `x${code.toString(16).padStart(2, '0')}`;
}

export function encodeLeef(record: SiemRecord, header: LeefHeader): string {
  const delimiter = header.delimiter ?? '\t';
  if (delimiter.length !== 1 || delimiter === '=') throw new Error('LEEF delimiter must be one character other than "="');
  const attrs = [
    `devTime=${new Date(record.time).toISOString()}`,
    `devTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSSX`,
    `sev=${Math.max(1, Math.min(10, Math.round(record.severity)))}`,
  ];
  for (const { key, value } of record.attributes) attrs.push(`${LEEF_KEYS[key]}=${sanitizeLeefValue(value, delimiter)}`);
  const head = [
    'LEEF:2.0',
    escapeLeefHeader(header.vendor),
    escapeLeefHeader(header.product),
    escapeLeefHeader(header.version),
    escapeLeefHeader(record.eventId),
    delimiterField(delimiter),
  ].join('|');
  return `${head}|${attrs.join(delimiter)}`;
}

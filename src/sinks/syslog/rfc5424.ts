/**
 * RFC 5424 syslog messages and RFC 6587 / RFC 5425 octet-counting framing ("MSG-LEN SP SYSLOG-MSG").
 *   <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG
 * Header fields are printable US-ASCII without spaces, cut to their RFC lengths; NIL is "-".
 */

export const FACILITIES = {
  kern: 0, user: 1, mail: 2, daemon: 3, auth: 4, syslog: 5, lpr: 6, news: 7, uucp: 8, cron: 9, authpriv: 10,
  ftp: 11, ntp: 12, audit: 13, alert: 14, clock: 15, local0: 16, local1: 17, local2: 18, local3: 19, local4: 20,
  local5: 21, local6: 22, local7: 23,
} as const;
export type Facility = keyof typeof FACILITIES;

/** detection level -> syslog severity (0 emergency .. 7 debug) */
export const LEVEL_TO_SYSLOG_SEVERITY: Record<string, number> = {
  critical: 2,
  high: 3,
  medium: 4,
  low: 5,
  informational: 6,
};

function headerField(value: string | undefined, max: number): string {
  if (!value) return '-';
  const cleaned = value.replace(/[^\x21-\x7e]/g, '_').slice(0, max);
  return cleaned.length > 0 ? cleaned : '-';
}

export interface SyslogHeader {
  facility: Facility;
  /** 0-7 */
  severity: number;
  time: number;
  hostname?: string;
  appName?: string;
  procId?: string;
  msgId?: string;
}

export function formatRfc5424(header: SyslogHeader, message: string): string {
  const pri = FACILITIES[header.facility] * 8 + Math.max(0, Math.min(7, header.severity));
  return [
    `<${pri}>1`,
    new Date(header.time).toISOString(),
    headerField(header.hostname, 255),
    headerField(header.appName, 48),
    headerField(header.procId, 128),
    headerField(header.msgId, 32),
    '-',
    message,
  ].join(' ');
}

/** Octet-counting frame: the byte length of the UTF-8 message, a space, the message. */
export function frameOctetCounting(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}

/**
 * Incremental parser of octet-counted frames (used by tests and by anyone reading our output back).
 * Feed it chunks; it returns the complete messages so far.
 */
export class OctetCountingParser {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): string[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const out: string[] = [];
    for (;;) {
      const space = this.buffer.indexOf(0x20);
      if (space < 0) break;
      const lenText = this.buffer.subarray(0, space).toString('ascii');
      if (!/^[1-9]\d{0,8}$/.test(lenText)) throw new Error(`bad octet-counting frame length "${lenText.slice(0, 20)}"`);
      const len = Number(lenText);
      if (this.buffer.length < space + 1 + len) break;
      out.push(this.buffer.subarray(space + 1, space + 1 + len).toString('utf8'));
      this.buffer = this.buffer.subarray(space + 1 + len);
    }
    return out;
  }
}

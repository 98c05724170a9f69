/**
 * Config of the syslog sink: RFC 5424 over TCP or TLS with octet-counting framing, LEEF 2.0 or CEF payloads.
 */
import { z } from 'zod';
import { FACILITIES, type Facility } from './rfc5424.js';

export const syslogSinkConfigSchema = z
  .object({
    host: z.string().min(1).describe('syslog receiver host (QRadar event collector, ArcSight connector, rsyslog...)'),
    port: z.coerce.number().int().min(1).max(65535).default(6514).describe('receiver port (6514 is syslog over TLS)'),
    protocol: z.enum(['tcp', 'tls']).default('tls').describe('tcp, or tls (RFC 5425); both use octet-counting framing'),
    format: z.enum(['leef', 'cef']).default('leef').describe('payload: leef (LEEF 2.0, QRadar) or cef (ArcSight CEF:0)'),
    include: z
      .object({ detections: z.boolean().default(true), events: z.boolean().default(false) })
      .default({ detections: true, events: false })
      .describe('what to send: detections (default) and optionally every event'),
    facility: z
      .enum(Object.keys(FACILITIES) as [Facility, ...Facility[]])
      .default('authpriv')
      .describe('syslog facility'),
    hostname: z.string().optional().describe('HOSTNAME of the syslog header (default: this host)'),
    appName: z.string().default('entrawatch'),
    leefDelimiter: z.string().length(1).default('\t').describe('LEEF 2.0 attribute delimiter (one character)'),
    tls: z
      .object({
        rejectUnauthorized: z.boolean().default(true).describe('verify the receiver certificate (keep true)'),
        caFile: z.string().optional().describe('PEM file of the CA that signed the receiver certificate'),
        certFile: z.string().optional().describe('client certificate (mutual TLS)'),
        keyFile: z.string().optional().describe('client key (mutual TLS)'),
        servername: z.string().optional(),
      })
      .default({ rejectUnauthorized: true }),
    connectTimeoutMs: z.coerce.number().int().positive().default(10_000),
    /** a write counts as delivered when the connection stayed up this long after it (see syslog-sink.ts) */
    confirmAfterMs: z.coerce.number().int().min(0).default(1000),
    reconnectBackoffMs: z.object({ base: z.number().int().positive().default(200), max: z.number().int().positive().default(30_000) }).default({ base: 200, max: 30_000 }),
  })
  .describe('syslog sink (LEEF/CEF over RFC 5424)');

export type SyslogSinkConfig = z.output<typeof syslogSinkConfigSchema>;

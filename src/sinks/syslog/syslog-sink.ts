/**
 * Syslog sink: LEEF 2.0 (QRadar) or CEF (ArcSight) in RFC 5424 messages over TCP or TLS, octet-counting framing.
 *
 * Syslog has no application-level acknowledgment, so "delivered" is defined as: every frame of the call was
 * written to the socket AND the connection then stayed up for `confirmAfterMs`. A receiver that goes away closes
 * or resets the connection; frames whose confirmation period saw the connection drop are written again on a new
 * connection. Duplicates are possible after a reconnect; loss of a confirmed frame would need the receiver to
 * drop data it read without closing the connection.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { readFileSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { SinkUnavailableError } from '../../errors.js';
import type { DeliveryResult, OutputItem, Sink } from '../types.js';
import type { Logger } from '../../observability/logger.js';
import { detectionToSiemRecord, eventToSiemRecord } from '../format/siem-fields.js';
import { encodeCef } from '../format/cef.js';
import { encodeLeef } from '../format/leef.js';
import { formatRfc5424, frameOctetCounting, LEVEL_TO_SYSLOG_SEVERITY } from './rfc5424.js';
import type { SyslogSinkConfig } from './config.js';

interface Connection {
  socket: Socket;
  /** resolves when the connection is gone (close, error, end) */
  closed: Promise<void>;
  isClosed: boolean;
}

export interface SyslogSinkOptions {
  config: SyslogSinkConfig;
  productVersion: string;
  logger?: Logger;
  name?: string;
}

export class SyslogSink implements Sink {
  readonly name: string;
  private connection: Connection | undefined;
  private connecting: Promise<Connection> | undefined;
  private closing = false;
  private readonly host: string;

  constructor(private readonly options: SyslogSinkOptions) {
    const c = options.config;
    this.name = options.name ?? `syslog:${c.protocol}://${c.host}:${c.port}`;
    this.host = c.hostname ?? osHostname();
  }

  /** Encodes one item as an octet-counted RFC 5424 frame, or null when this sink does not carry that kind of item. */
  encode(item: OutputItem): Buffer | null {
    const c = this.options.config;
    const header = { vendor: 'entrawatch', product: 'entrawatch', version: this.options.productVersion };
    let payload: string;
    let severity: number;
    let time: number;
    let msgId: string;
    if (item.type === 'detection') {
      if (!c.include.detections) return null;
      const record = detectionToSiemRecord(item.detection);
      payload = c.format === 'leef' ? encodeLeef(record, { ...header, delimiter: c.leefDelimiter }) : encodeCef(record, header);
      severity = LEVEL_TO_SYSLOG_SEVERITY[item.detection.rule.level] ?? 4;
      time = item.detection.time;
      msgId = 'detection';
    } else {
      if (!c.include.events) return null;
      const record = eventToSiemRecord(item.event);
      payload = c.format === 'leef' ? encodeLeef(record, { ...header, delimiter: c.leefDelimiter }) : encodeCef(record, header);
      severity = 6;
      time = item.event.time;
      msgId = item.event.kind;
    }
    const message = formatRfc5424(
      { facility: c.facility, severity, time, hostname: this.host, appName: c.appName, procId: String(process.pid), msgId },
      payload,
    );
    return frameOctetCounting(message);
  }

  async start(): Promise<void> {
    await this.connect();
  }

  async deliver(items: OutputItem[], signal?: AbortSignal): Promise<DeliveryResult> {
    const frames: Buffer[] = [];
    for (const item of items) {
      const frame = this.encode(item);
      if (frame) frames.push(frame);
    }
    if (frames.length === 0) return { rejected: [] };
    const payload = Buffer.concat(frames);
    const { base, max } = this.options.config.reconnectBackoffMs;
    for (let attempt = 0; ; attempt++) {
      signal?.throwIfAborted();
      try {
        const conn = await this.connection_();
        await write(conn, payload);
        const confirm = this.options.config.confirmAfterMs;
        if (confirm > 0) await Promise.race([sleep(confirm, undefined, { signal }), conn.closed]);
        if (conn.isClosed) throw new SinkUnavailableError(this.name, 'the connection closed before the frames were confirmed');
        return { rejected: [] };
      } catch (err) {
        if (signal?.aborted) throw err;
        const delay = Math.min(max, base * 2 ** Math.min(attempt, 16));
        this.options.logger?.warn({ sink: this.name, attempt, err: (err as Error).message }, 'syslog delivery failed, writing again after a reconnect');
        await sleep(Math.random() * delay, undefined, { signal });
      }
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    const conn = this.connection;
    this.connection = undefined;
    if (conn && !conn.isClosed) {
      await new Promise<void>((resolve) => conn.socket.end(() => resolve()));
      conn.socket.destroy();
    }
  }

  private async connection_(): Promise<Connection> {
    if (this.connection && !this.connection.isClosed) return this.connection;
    return this.connect();
  }

  private connect(): Promise<Connection> {
    if (this.closing) return Promise.reject(new SinkUnavailableError(this.name, 'the sink is closed'));
    this.connecting ??= this.openConnection().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private openConnection(): Promise<Connection> {
    const c = this.options.config;
    return new Promise<Connection>((resolve, reject) => {
      let socket: Socket;
      const readyEvent = c.protocol === 'tls' ? 'secureConnect' : 'connect';
      if (c.protocol === 'tls') {
        socket = tlsConnect({
          host: c.host,
          port: c.port,
          servername: c.tls.servername ?? (/^[\d.:]+$/.test(c.host) ? undefined : c.host),
          rejectUnauthorized: c.tls.rejectUnauthorized,
          ca: c.tls.caFile ? readFileSync(c.tls.caFile) : undefined,
          cert: c.tls.certFile ? readFileSync(c.tls.certFile) : undefined,
          key: c.tls.keyFile ? readFileSync(c.tls.keyFile) : undefined,
        });
      } else {
        socket = netConnect({ host: c.host, port: c.port });
      }
      socket.setKeepAlive(true, 10_000);
      socket.setNoDelay(true);
      const timer = setTimeout(() => socket.destroy(new Error(`no connection within ${c.connectTimeoutMs} ms`)), c.connectTimeoutMs);
      let markClosed!: () => void;
      const conn: Connection = { socket, closed: new Promise<void>((r) => (markClosed = r)), isClosed: false };
      const onClose = () => {
        conn.isClosed = true;
        markClosed();
        if (this.connection === conn) this.connection = undefined;
      };
      socket.once(readyEvent, () => {
        clearTimeout(timer);
        this.connection = conn;
        resolve(conn);
      });
      socket.on('error', (err) => {
        clearTimeout(timer);
        onClose();
        reject(new SinkUnavailableError(this.name, `cannot reach the syslog receiver: ${err.message}`, undefined, { cause: err }));
      });
      socket.on('end', () => socket.destroy());
      socket.on('close', onClose);
      socket.on('data', () => undefined); // syslog receivers send nothing; drain anyway
    });
  }
}

function write(conn: Connection, payload: Buffer): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (conn.isClosed) {
      reject(new Error('connection closed'));
      return;
    }
    conn.socket.write(payload, (err) => (err ? reject(err) : resolve()));
  });
}

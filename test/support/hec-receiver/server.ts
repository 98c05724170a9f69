/**
 * A Splunk HTTP Event Collector stand-in for tests (not product code). It follows reference/splunk.md §1:
 * the collector endpoints, `Authorization: Splunk <token>`, per-token acks / disabled state / allowed indexes,
 * concatenated-JSON batches parsed exactly, gzip (deflate refused), size limits after decompression, per-channel
 * ackIds answered `true` once, and the exact HEC codes. It stores every accepted event and records every request.
 * Faults (busy, 500, 413, resets, slow answers, stuck acks, outage, unhealthy) can be set at runtime.
 *
 *   const r = await startHecReceiver({ tokens: [{ token: 't', useAck: true }] });
 *   r.url; r.events(); await r.faults.set({ busyRate: 0.2 }); await r.close();
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { AckLedger } from './ack-ledger.js';
import { parseConcatenatedJson } from './batch-parser.js';
import { seededRandom, type HecFaultSettings } from './faults.js';

const gunzipAsync = promisify(gunzip);

export interface HecTokenConfig {
  token: string;
  /** indexer acknowledgment on this token (channel required, ackIds returned) */
  useAck?: boolean;
  disabled?: boolean;
  /** indexes this token may write to; undefined: any */
  allowedIndexes?: string[];
  /** index used when an event names none; default "main" */
  defaultIndex?: string;
}

export interface HecReceiverOptions {
  tokens: HecTokenConfig[];
  /** limits.conf [http_input] max_content_length, checked after decompression; default 838860800 */
  maxContentLength?: number;
  /** inputs.conf [http] maxEventSize; a bigger event is a parsing error (code 6); default 5 MB */
  maxEventSize?: number;
  /** allow `?token=` (otherwise code 16); default false */
  queryStringAuth?: boolean;
  /** seed of the fault generator; default 1 */
  seed?: number;
  /**
   * When a batch has an invalid event, index the events before it (Splunk processes a batch in order) instead of
   * refusing the whole batch; default false.
   */
  indexBeforeInvalid?: boolean;
  port?: number;
  /** serve https with this key and certificate (test material in ./tls: server.key, server.pem, ca.pem) */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /**
   * Act as a load balancer in front of `indexers` indexers, each with its own ackIds (as a real cluster): a request
   * with a valid `<cookieName>=<indexer>` cookie goes to that indexer; any other goes to the next one round-robin and
   * its answer sets the cookie (`Set-Cookie: <cookieName>=<indexer>; Path=/`). An ack query that reaches another
   * indexer than the request answers false. cookieName defaults to AWSELB.
   */
  loadBalancer?: { indexers: number; cookieName?: string };
}

export interface StoredHecEvent {
  index: string;
  sourcetype?: string;
  source?: string;
  host?: string;
  time?: number | string;
  event: unknown;
  fields?: Record<string, unknown>;
  channel?: string;
  endpoint: 'event' | 'raw';
}

export interface HecRequestRecord {
  method: string;
  path: string;
  status: number;
  code?: number;
  channel?: string;
  gzip: boolean;
  /** body bytes after decompression */
  bytes: number;
  /** events in the body (data requests that were parsed) */
  events?: number;
  ackId?: number;
  /** the fault that decided this answer, if any */
  fault?: string;
  /** load balancer mode: the indexer that answered, and whether the request came pinned by its cookie */
  indexer?: number;
  pinned?: boolean;
}

export interface HecReceiver {
  /** base URL, e.g. http://127.0.0.1:40123 */
  readonly url: string;
  readonly port: number;
  events(): StoredHecEvent[];
  requests(): HecRequestRecord[];
  /** channels seen (lower case) */
  channels(): string[];
  clear(): void;
  faults: {
    /** merges `f` into the current faults (keys not named stay as they are) */
    set(f: HecFaultSettings): Promise<void>;
    get(): HecFaultSettings;
    clear(): Promise<void>;
  };
  close(): Promise<void>;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COLLECTOR_EVENT_PATHS = new Set(['/services/collector', '/services/collector/event', '/services/collector/event/1.0']);
const RAW_PATHS = new Set(['/services/collector/raw', '/services/collector/raw/1.0']);
const ACK_PATHS = new Set(['/services/collector/ack', '/services/collector/ack/1.0']);
const HEALTH_PATHS = new Set(['/services/collector/health', '/services/collector/health/1.0']);

export const HEC_TEXTS: Record<number, string> = {
  0: 'Success',
  1: 'Token disabled',
  2: 'Token is required',
  3: 'Invalid authorization',
  4: 'Invalid token',
  5: 'No data',
  6: 'Invalid data format',
  7: 'Incorrect index',
  8: 'Internal server error',
  9: 'Server is busy',
  10: 'Data channel is missing',
  11: 'Invalid data channel',
  12: 'Event field is required',
  13: 'Event field cannot be blank',
  14: 'ACK is disabled',
  15: 'Error in handling indexed fields',
  16: 'Query string authorization is not enabled',
  17: 'HEC is healthy',
  18: 'HEC is unhealthy, queues are full',
};

const STATUS_OF_CODE: Record<number, number> = {
  0: 200, 1: 403, 2: 401, 3: 401, 4: 403, 5: 400, 6: 400, 7: 400, 8: 500, 9: 503, 10: 400, 11: 400, 12: 400,
  13: 400, 14: 400, 15: 400, 16: 400, 17: 200, 18: 503,
};

class Answer {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly fault?: string,
  ) {}
  static code(code: number, extra: Record<string, unknown> = {}, fault?: string): Answer {
    return new Answer(STATUS_OF_CODE[code] ?? 400, { text: HEC_TEXTS[code], code, ...extra }, fault);
  }
}

type Auth = { ok: true; token: HecTokenConfig } | { ok: false; answer: Answer };

export async function startHecReceiver(options: HecReceiverOptions): Promise<HecReceiver> {
  const maxContentLength = options.maxContentLength ?? 838_860_800;
  const maxEventSize = options.maxEventSize ?? 5 * 1024 * 1024;
  const random = seededRandom(options.seed ?? 1);
  const ledgers = Array.from({ length: Math.max(1, options.loadBalancer?.indexers ?? 1) }, () => new AckLedger());
  const ledgerOf = (rec: HecRequestRecord): AckLedger => ledgers[rec.indexer ?? 0]!;
  let nextIndexer = 0;
  const stored: StoredHecEvent[] = [];
  const log: HecRequestRecord[] = [];
  let faults: HecFaultSettings = {};
  const sockets = new Set<Socket>();

  function authenticate(req: IncomingMessage, query: URLSearchParams): Auth {
    const header = req.headers.authorization;
    let tokenValue: string | undefined;
    if (header === undefined) {
      if (query.has('token')) {
        if (!options.queryStringAuth) return { ok: false, answer: Answer.code(16) };
        tokenValue = query.get('token') ?? '';
      } else {
        return { ok: false, answer: Answer.code(2) };
      }
    } else {
      const m = /^Splunk\s+(\S+)\s*$/.exec(header);
      if (!m) return { ok: false, answer: Answer.code(3) };
      tokenValue = m[1];
    }
    const token = options.tokens.find((t) => t.token === tokenValue);
    if (!token) return { ok: false, answer: Answer.code(4) };
    if (token.disabled) return { ok: false, answer: Answer.code(1) };
    return { ok: true, token };
  }

  /** `X-Splunk-Request-Channel` or `?channel=`; Answer when required and missing/invalid */
  function channelOf(req: IncomingMessage, query: URLSearchParams, required: boolean): string | Answer | undefined {
    const raw = req.headers['x-splunk-request-channel'];
    const channel = (Array.isArray(raw) ? raw[0] : raw) ?? query.get('channel') ?? undefined;
    if (channel === undefined || channel === '') return required ? Answer.code(10) : undefined;
    if (!GUID.test(channel)) return required ? Answer.code(11) : undefined;
    return channel;
  }

  async function readBody(req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  function tooLarge(size: number, fault?: string): Answer {
    return new Answer(413, { text: `Content-Length of ${size} too large (maximum is ${maxContentLength})` }, fault);
  }

  /** decodes the body per Content-Encoding; an Answer when refused */
  async function decodeBody(req: IncomingMessage, body: Buffer): Promise<Buffer | Answer> {
    const enc = (req.headers['content-encoding'] ?? '').toLowerCase().trim();
    if (enc === '' || enc === 'identity') {
      return body.length > maxContentLength ? tooLarge(body.length) : body;
    }
    if (enc !== 'gzip') return new Answer(415, { text: `Unsupported content encoding: ${enc}` });
    try {
      return await gunzipAsync(body, { maxOutputLength: maxContentLength });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return tooLarge(maxContentLength + 1);
      return Answer.code(6, { 'invalid-event-number': 0 });
    }
  }

  /** fault decided by the rates, for a data (or ack) request */
  function rolledFault(): Answer | 'reset' | undefined {
    if (faults.outage === 'busy') return Answer.code(9, {}, 'outage');
    if (faults.resetRate && random() < faults.resetRate) return 'reset';
    if (faults.busyRate && random() < faults.busyRate) return Answer.code(9, {}, 'busy');
    if (faults.serverErrorRate && random() < faults.serverErrorRate) return Answer.code(8, {}, 'server-error');
    if (faults.tooLargeRate && random() < faults.tooLargeRate) return tooLarge(0, 'too-large');
    return undefined;
  }

  function validateEvent(e: Record<string, unknown>, bytes: number, token: HecTokenConfig): number | undefined {
    if (!('event' in e) || e.event === null || e.event === undefined) return 12;
    if (typeof e.event === 'string' && e.event.trim() === '') return 13;
    if (bytes > maxEventSize) return 6;
    if (e.time !== undefined) {
      const t = typeof e.time === 'string' ? Number(e.time) : e.time;
      if (typeof t !== 'number' || !Number.isFinite(t)) return 6;
    }
    for (const k of ['host', 'source', 'sourcetype', 'index'] as const) {
      if (e[k] !== undefined && typeof e[k] !== 'string') return 6;
    }
    const index = (e.index as string | undefined) ?? token.defaultIndex ?? 'main';
    if (token.allowedIndexes && !token.allowedIndexes.includes(index)) return 7;
    if (e.fields !== undefined) {
      if (e.fields === null || typeof e.fields !== 'object' || Array.isArray(e.fields)) return 15;
      for (const v of Object.values(e.fields as Record<string, unknown>)) {
        const leaf = (x: unknown) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean';
        if (!(leaf(v) || (Array.isArray(v) && v.every(leaf)))) return 15;
      }
    }
    if (faults.rejectEvent?.(e)) return 6;
    return undefined;
  }

  function accepted(token: HecTokenConfig, channel: string | undefined, rec: HecRequestRecord): Answer {
    if (token.useAck && channel) {
      const ackId = ledgerOf(rec).issue(channel, Date.now() + (faults.ackDelayMs ?? 0));
      return Answer.code(0, { ackId });
    }
    return Answer.code(0);
  }

  /**
   * What /event and /raw do first, in Splunk's order: token, channel, body, injected fault, Content-Encoding.
   * Returns the answer to send instead when one of them fails.
   */
  async function acceptRequest(
    req: IncomingMessage,
    query: URLSearchParams,
    rec: HecRequestRecord,
    channelRequired: (token: HecTokenConfig) => boolean,
  ): Promise<Answer | 'reset' | { token: HecTokenConfig; ch: string | undefined; decoded: Buffer }> {
    const auth = authenticate(req, query);
    if (!auth.ok) return auth.answer;
    const token = auth.token;
    const ch = channelOf(req, query, channelRequired(token));
    if (ch instanceof Answer) return ch;
    rec.channel = ch;
    const body = await readBody(req);
    const fault = rolledFault();
    if (fault) return fault;
    const decoded = await decodeBody(req, body);
    if (decoded instanceof Answer) return decoded;
    rec.bytes = decoded.length;
    return { token, ch, decoded };
  }

  async function handleEvent(req: IncomingMessage, query: URLSearchParams, rec: HecRequestRecord): Promise<Answer | 'reset'> {
    const request = await acceptRequest(req, query, rec, (token) => token.useAck === true);
    if (request instanceof Answer || request === 'reset') return request;
    const { token, ch, decoded } = request;
    const text = decoded.toString('utf8');
    if (text.trim() === '') return Answer.code(5);
    const parsed = parseConcatenatedJson(text);
    const events = parsed.ok ? parsed.events : [];
    rec.events = events.length;
    let invalid: { n: number; code: number } | undefined;
    if (!parsed.ok) invalid = { n: parsed.invalidEventNumber, code: 6 };
    for (let n = 0; n < events.length && !invalid; n++) {
      const code = validateEvent(events[n].value, events[n].bytes, token);
      if (code !== undefined) invalid = { n, code };
    }
    const stuck = token.useAck === true && ch !== undefined && ledgerOf(rec).touch(ch);
    const keep = invalid ? (options.indexBeforeInvalid ? events.slice(0, invalid.n) : []) : events;
    if (!stuck) {
      for (const { value } of keep) {
        stored.push({
          index: (value.index as string | undefined) ?? token.defaultIndex ?? 'main',
          sourcetype: value.sourcetype as string | undefined,
          source: value.source as string | undefined,
          host: value.host as string | undefined,
          time: value.time as number | string | undefined,
          event: value.event,
          fields: value.fields as Record<string, unknown> | undefined,
          channel: ch,
          endpoint: 'event',
        });
      }
    }
    if (invalid) {
      const extra = invalid.code === 6 || invalid.code === 7 ? { 'invalid-event-number': invalid.n } : {};
      return Answer.code(invalid.code, extra);
    }
    return accepted(token, ch, rec);
  }

  async function handleRaw(req: IncomingMessage, query: URLSearchParams, rec: HecRequestRecord): Promise<Answer | 'reset'> {
    // /raw needs a channel whether or not acks are on
    const request = await acceptRequest(req, query, rec, () => true);
    if (request instanceof Answer || request === 'reset') return request;
    const { token, ch, decoded } = request;
    const lines = decoded.toString('utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
    if (lines.length === 0) return Answer.code(5);
    rec.events = lines.length;
    const index = query.get('index') ?? token.defaultIndex ?? 'main';
    if (token.allowedIndexes && !token.allowedIndexes.includes(index)) return Answer.code(7);
    const stuck = token.useAck === true && ledgerOf(rec).touch(ch!);
    if (!stuck) {
      for (const line of lines) {
        stored.push({
          index,
          sourcetype: query.get('sourcetype') ?? undefined,
          source: query.get('source') ?? undefined,
          host: query.get('host') ?? undefined,
          event: line,
          channel: ch,
          endpoint: 'raw',
        });
      }
    }
    return accepted(token, ch, rec);
  }

  async function handleAck(req: IncomingMessage, query: URLSearchParams, rec: HecRequestRecord): Promise<Answer | 'reset'> {
    const auth = authenticate(req, query);
    if (!auth.ok) return auth.answer;
    if (!auth.token.useAck) return Answer.code(14);
    const ch = channelOf(req, query, true);
    if (ch instanceof Answer) return ch;
    rec.channel = ch;
    const body = await readBody(req);
    if (faults.faultAckRequests) {
      const fault = rolledFault();
      if (fault) return fault;
    } else if (faults.outage === 'busy') {
      return Answer.code(9, {}, 'outage');
    }
    const decoded = await decodeBody(req, body);
    if (decoded instanceof Answer) return decoded;
    let ids: unknown;
    try {
      ids = (JSON.parse(decoded.toString('utf8')) as { acks?: unknown }).acks;
    } catch {
      return Answer.code(6);
    }
    if (!Array.isArray(ids) || !ids.every((x) => Number.isInteger(x) && x >= 0)) return Answer.code(6);
    return new Answer(200, { acks: ledgerOf(rec).query(ch!, ids as number[], Date.now()) });
  }

  function handleHealth(): Answer {
    if (faults.unhealthy || faults.outage === 'busy') return Answer.code(18);
    return Answer.code(17);
  }

  async function route(req: IncomingMessage, rec: HecRequestRecord): Promise<Answer | 'reset'> {
    const url = new URL(req.url ?? '/', 'http://receiver');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    rec.path = path;
    const query = url.searchParams;
    if (HEALTH_PATHS.has(path)) return req.method === 'GET' ? handleHealth() : new Answer(405, { text: 'Method Not Allowed' });
    const isData = COLLECTOR_EVENT_PATHS.has(path) || RAW_PATHS.has(path) || ACK_PATHS.has(path);
    if (!isData) return new Answer(404, { text: 'The requested URL was not found on this server.', code: 404 });
    if (req.method !== 'POST') return new Answer(405, { text: 'Method Not Allowed' });
    if (ACK_PATHS.has(path)) return handleAck(req, query, rec);
    if (RAW_PATHS.has(path)) return handleRaw(req, query, rec);
    return handleEvent(req, query, rec);
  }

  /** Load balancer mode: picks the indexer (rec.indexer); returns the Set-Cookie to send when the request was not pinned. */
  function routeToIndexer(req: IncomingMessage, rec: HecRequestRecord): string | undefined {
    const lb = options.loadBalancer;
    if (!lb) return undefined;
    const name = lb.cookieName ?? 'AWSELB';
    const pinned = (req.headers.cookie ?? '')
      .split(';')
      .map((p) => p.trim().split('='))
      .find(([k]) => k === name)?.[1];
    const k = pinned === undefined ? NaN : Number(pinned);
    if (Number.isInteger(k) && k >= 0 && k < ledgers.length) {
      rec.indexer = k;
      rec.pinned = true;
      return undefined;
    }
    rec.indexer = nextIndexer++ % ledgers.length;
    rec.pinned = false;
    return `${name}=${rec.indexer}; Path=/`;
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rec: HecRequestRecord = {
      method: req.method ?? '',
      path: req.url ?? '',
      status: 0,
      gzip: (req.headers['content-encoding'] ?? '').toLowerCase() === 'gzip',
      bytes: 0,
    };
    const setCookie = routeToIndexer(req, rec);
    let answer: Answer | 'reset';
    try {
      answer = await route(req, rec);
    } catch {
      answer = 'reset';
    }
    if (faults.delayMs) await new Promise((r) => setTimeout(r, faults.delayMs));
    if (answer === 'reset') {
      rec.fault = 'reset';
      log.push(rec);
      req.socket.destroy();
      return;
    }
    rec.status = answer.status;
    rec.code = typeof answer.body.code === 'number' ? answer.body.code : undefined;
    rec.fault = answer.fault;
    if (typeof answer.body.ackId === 'number') rec.ackId = answer.body.ackId;
    log.push(rec);
    if (!req.complete) req.resume();
    const payload = JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      'Content-Type': 'application/json; charset=UTF-8',
      'Content-Length': Buffer.byteLength(payload),
      ...(setCookie ? { 'Set-Cookie': setCookie } : {}),
    });
    res.end(payload);
  }

  const newServer = (): Server =>
    options.tls
      ? createHttpsServer({ keepAlive: true, key: options.tls.key, cert: options.tls.cert }, (req, res) => void onRequest(req, res))
      : createServer({ keepAlive: true }, (req, res) => void onRequest(req, res));
  let server: Server = newServer();
  const track = (s: Server) =>
    s.on('connection', (socket: Socket) => {
      if (faults.outage === 'refuse') {
        socket.destroy();
        return;
      }
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
  track(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  let listening = true;

  async function stopListening(): Promise<void> {
    if (!listening) return;
    listening = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of sockets) s.destroy();
    await closed;
  }

  async function startListening(): Promise<void> {
    if (listening) return;
    server = newServer();
    track(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    listening = true;
  }

  async function applyFaults(change: HecFaultSettings, replace: boolean): Promise<void> {
    const next = replace ? { ...change } : { ...faults, ...change };
    faults = next;
    if (replace || 'ackStuckChannels' in change || 'ackStuckNextChannels' in change) {
      for (const ledger of ledgers) {
        ledger.clearStuck();
        ledger.setStuck(next.ackStuckChannels ?? [], next.ackStuckNextChannels ?? 0);
      }
    }
    if (next.outage === 'refuse') await stopListening();
    else await startListening();
  }

  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    events: () => stored.slice(),
    requests: () => log.slice(),
    channels: () => [...new Set(ledgers.flatMap((l) => l.channelNames()))],
    clear: () => {
      stored.length = 0;
      log.length = 0;
    },
    faults: {
      set: (f) => applyFaults(f, false),
      get: () => ({ ...faults }),
      clear: () => applyFaults({}, true),
    },
    close: async () => {
      await stopListening();
    },
  };
}

/**
 * Builds the HTTP request of one HEC batch: the body (event JSON objects concatenated, newline-separated, no
 * array, no commas), gzipped when asked (compressed once and reused by every resend), and the headers
 * (Authorization, channel, Content-Encoding). Also the body of an ack query.
 */
import { gzip as gzipCb, constants } from 'node:zlib';
import { promisify } from 'node:util';

const gzip = promisify(gzipCb);

export const HEC_EVENT_PATH = '/services/collector/event';
export const HEC_ACK_PATH = '/services/collector/ack';
export const HEC_HEALTH_PATH = '/services/collector/health';

export interface HecRequestBody {
  body: Buffer;
  /** bytes before compression */
  uncompressedBytes: number;
  gzip: boolean;
}

/** Concatenates event JSON texts into one HEC body; gzips it (at `level`, default 1: fastest) when `useGzip`. */
export async function buildHecBody(events: readonly string[], useGzip: boolean, level = 1): Promise<HecRequestBody> {
  const raw = joinUtf8(events);
  if (!useGzip) return { body: raw, uncompressedBytes: raw.length, gzip: false };
  const body = await gzip(raw, { level: Math.min(constants.Z_BEST_COMPRESSION, Math.max(constants.Z_BEST_SPEED, level)) });
  return { body, uncompressedBytes: raw.length, gzip: true };
}

/**
 * The events UTF-8 encoded and newline-separated straight into one Buffer: the same bytes as
 * Buffer.from(events.join('\n')), without building the joined string (a large string per batch that only a full
 * garbage collection frees).
 */
function joinUtf8(events: readonly string[]): Buffer {
  let size = events.length > 0 ? events.length - 1 : 0;
  for (const e of events) size += Buffer.byteLength(e, 'utf8');
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (let i = 0; i < events.length; i++) {
    if (i > 0) out[at++] = 0x0a;
    at += out.write(events[i], at, 'utf8');
  }
  return at === size ? out : out.subarray(0, at);
}

export function hecHeaders(token: string, channel: string, gzipped: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    authorization: `Splunk ${token}`,
    'content-type': 'application/json',
    'x-splunk-request-channel': channel,
  };
  if (gzipped) headers['content-encoding'] = 'gzip';
  return headers;
}

export function ackQueryBody(ackIds: readonly number[]): string {
  return JSON.stringify({ acks: ackIds });
}

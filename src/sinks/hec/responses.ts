/**
 * What an HEC answer means for the sender (reference/splunk.md §1 table): accepted, retry later, split the batch
 * to isolate a bad event, refuse the event for good, or stop because the configuration can never work. Fatal
 * messages say what to change and never carry the token.
 */

export interface HecReply {
  status: number;
  code?: number;
  text?: string;
  ackId?: number;
  invalidEventNumber?: number;
  acks?: Record<string, boolean>;
}

export type HecVerdict =
  | { kind: 'accepted'; ackId?: number }
  | { kind: 'retry'; reason: string; busy: boolean }
  | { kind: 'split'; reason: string; invalidEventNumber?: number }
  | { kind: 'fatal'; code?: number; message: string };

/** Parses an HEC JSON answer; tolerant of non-JSON bodies (proxies, load balancers). */
export function parseHecReply(status: number, text: string): HecReply {
  const reply: HecReply = { status };
  if (text.length === 0) return reply;
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    if (typeof body.code === 'number') reply.code = body.code;
    if (typeof body.text === 'string') reply.text = body.text;
    if (typeof body.ackId === 'number') reply.ackId = body.ackId;
    if (typeof body['invalid-event-number'] === 'number') reply.invalidEventNumber = body['invalid-event-number'];
    if (body.acks && typeof body.acks === 'object') reply.acks = body.acks as Record<string, boolean>;
  } catch {
    reply.text = text.slice(0, 200);
  }
  return reply;
}

export function describeReply(r: HecReply): string {
  return `HEC ${r.status}${r.code !== undefined ? ` code ${r.code}` : ''}${r.text ? `: ${r.text}` : ''}`;
}

/** Fatal configuration problems: what is wrong and what to do. */
export function fatalMessage(r: HecReply): string | undefined {
  switch (r.code) {
    case 1:
    case 22:
      return `HEC token is disabled (code ${r.code}): enable it in Splunk (Settings > Data inputs > HTTP Event Collector) or set sinks.hec.token / sinks.hec.tokenFile to an enabled token`;
    case 2:
      return 'HEC token is required (code 2): set sinks.hec.token or sinks.hec.tokenFile';
    case 3:
      return 'HEC refused the Authorization header (code 3): check that sinks.hec.token holds only the token (no "Splunk " prefix, no spaces)';
    case 4:
    case 21:
      return `HEC token is invalid (code ${r.code}): check sinks.hec.token / sinks.hec.tokenFile against the token in Splunk (Settings > Data inputs > HTTP Event Collector)`;
    case 7:
      return 'HEC answered Incorrect index (code 7): the index in sinks.hec.index / sinks.hec.detectionIndex does not exist or is not allowed for this token; create it or add it to the token\'s allowed indexes';
    case 10:
    case 11:
      return `HEC refused the data channel (code ${r.code}): a proxy may strip the X-Splunk-Request-Channel header; let it through`;
    case 14:
      return 'HEC indexer acknowledgment is disabled for this token (code 14): set sinks.hec.useAck: false, or enable "Indexer acknowledgement" on the token';
    case 16:
      return 'HEC refused query-string authorization (code 16): entrawatch sends the token in the header; check the URL in sinks.hec.urls has no ?token=';
    default:
      break;
  }
  if (r.status === 401 || r.status === 403) {
    return `HEC refused the token (HTTP ${r.status}): check sinks.hec.token / sinks.hec.tokenFile`;
  }
  if (r.status === 404) {
    return 'HEC URL not found (HTTP 404): check sinks.hec.urls points at the HEC port (usually 8088) with no path, and that HEC is enabled (Settings > Data inputs > HTTP Event Collector > Global Settings)';
  }
  if (r.status === 405 || r.status === 501 || r.status === 505) {
    return `HEC answered HTTP ${r.status}: check sinks.hec.urls points at a Splunk HEC endpoint`;
  }
  return undefined;
}

/** The verdict for the answer to a data request (POST /services/collector/event). */
export function classifyHecReply(r: HecReply): HecVerdict {
  if (r.status >= 200 && r.status < 300 && (r.code === undefined || r.code === 0)) {
    return r.ackId !== undefined ? { kind: 'accepted', ackId: r.ackId } : { kind: 'accepted' };
  }
  const fatal = fatalMessage(r);
  if (fatal) return { kind: 'fatal', code: r.code, message: fatal };
  if (r.status === 413) return { kind: 'split', reason: describeReply({ ...r, text: r.text ?? 'Request Entity Too Large' }) };
  if (r.status === 429 || r.status >= 500) {
    const busy = r.status === 503 || r.status === 429 || (r.code !== undefined && r.code >= 18 && r.code <= 20) || r.code === 9;
    return { kind: 'retry', reason: describeReply(r), busy };
  }
  // 400 code 6 (invalid data format), 12/13 (event missing/blank), 15 (indexed fields), 5 (no data) and other 4xx:
  // the data is wrong. Split to find the event(s); a single event refused this way is rejected for good.
  return { kind: 'split', reason: describeReply(r), invalidEventNumber: r.invalidEventNumber };
}

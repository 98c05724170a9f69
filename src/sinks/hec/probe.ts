/**
 * Probes one HEC URL without indexing anything: GET /services/collector/health (reachability, TLS, health), then
 * an empty ack query POST /services/collector/ack {"acks":[]} with the token, whose answer tells a valid token
 * (200: acks on; 400 code 14: acks off) from a bad or disabled one (codes 1-4). Used by HecSink.start() and
 * checkHec(). Messages never carry the token.
 */
import { SinkUnavailableError } from '../../errors.js';
import { ackQueryBody, HEC_ACK_PATH, HEC_HEALTH_PATH, hecHeaders } from './request-builder.js';
import { describeReply, fatalMessage, type HecReply } from './responses.js';
import type { HecEndpoint, HecService } from './service.js';

export interface HecProbeResult {
  url: string;
  reachable: boolean;
  healthy: boolean;
  /** the health answer, e.g. "HEC 200 code 17: HEC is healthy" */
  health?: string;
  tokenValid?: boolean;
  /** whether the token has indexer acknowledgment on; undefined when unknown */
  ackEnabled?: boolean;
  /** a problem that may pass (unreachable, unhealthy, busy) */
  problem?: string;
  /** a problem that will not pass by waiting: bad token, TLS verification, wrong URL */
  fatal?: { message: string; code?: number };
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ALTNAME|EPROTO|wrong version number/i;

function tlsFatal(url: string, reason: string): HecProbeResult['fatal'] {
  return {
    message: `TLS with ${url} failed (${reason}): set sinks.hec.tls.caFile to the CA that signed the HEC certificate, check the host name in sinks.hec.urls, or use http:// if HEC has SSL off (tls.rejectUnauthorized: false only in a lab)`,
  };
}

/** the transport reason without the sink name and URL prefixes */
function reasonOf(err: unknown, url: string): string {
  const reason = err instanceof SinkUnavailableError ? err.reason : String((err as Error).message);
  return reason.startsWith(`${url}: `) ? reason.slice(url.length + 2) : reason;
}

export async function probeHecEndpoint(
  service: HecService,
  endpoint: HecEndpoint,
  o: { token: string; channel: string },
): Promise<HecProbeResult> {
  const result: HecProbeResult = { url: endpoint.url, reachable: false, healthy: false };
  let health: HecReply;
  try {
    health = await service.get(endpoint, HEC_HEALTH_PATH);
  } catch (err) {
    const reason = reasonOf(err, endpoint.url);
    if (TLS_CODES.test(reason)) result.fatal = tlsFatal(endpoint.url, reason);
    result.problem = `unreachable: ${reason}`;
    return result;
  }
  result.reachable = true;
  result.health = describeReply(health);
  if (health.status === 200) result.healthy = true;
  else if (health.status === 404) result.healthy = true; // very old Splunk without /health: judge by the token probe
  else {
    result.problem = `unhealthy: ${result.health}`;
    return result;
  }
  let ack: HecReply;
  try {
    ack = await service.post(endpoint, HEC_ACK_PATH, ackQueryBody([]), hecHeaders(o.token, o.channel, false));
  } catch (err) {
    result.problem = `token check failed: ${reasonOf(err, endpoint.url)}`;
    return result;
  }
  if (ack.status === 200) {
    result.tokenValid = true;
    result.ackEnabled = true;
    return result;
  }
  if (ack.code === 14) {
    result.tokenValid = true;
    result.ackEnabled = false;
    return result;
  }
  const fatal = fatalMessage(ack);
  if (fatal) {
    if (ack.status === 401 || ack.status === 403) result.tokenValid = false;
    result.fatal = { message: fatal, code: ack.code };
    return result;
  }
  result.problem = `token check answered ${describeReply(ack)}`;
  if (ack.status >= 500 || ack.status === 429) result.healthy = false;
  return result;
}

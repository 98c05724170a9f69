/**
 * checkHec: what `entrawatch hec check` runs. For every configured URL it tests reachability and TLS, HEC health,
 * the token (valid, disabled, acks on/off) and, unless told not to, the index by sending ONE small probe event
 * (sourcetype entrawatch:probe) to each configured index, because HEC has no other way to tell whether an index
 * exists for a token. Returns a report; never throws for what it finds (only for an unreadable token/CA file).
 */
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../../errors.js';
import { readHecToken, validateHecSinkConfig, type HecSinkConfig, type HecSinkConfigInput } from './config.js';
import { probeHecEndpoint, type HecProbeResult } from './probe.js';
import { buildHecBody, HEC_EVENT_PATH, hecHeaders } from './request-builder.js';
import { describeReply, fatalMessage } from './responses.js';
import { HecService } from './service.js';

export interface HecIndexCheck {
  /** the index named, or "(token default)" */
  index: string;
  ok: boolean;
  answer: string;
  problem?: string;
}

export interface HecUrlCheck extends HecProbeResult {
  tls: 'verified' | 'not verified (tls.rejectUnauthorized: false)' | 'plain http';
  indexes: HecIndexCheck[];
}

export interface HecCheckReport {
  ok: boolean;
  useAck: boolean;
  urls: HecUrlCheck[];
  /** everything that is wrong, each with what to do */
  problems: string[];
}

export interface HecCheckOptions {
  /** send one probe event per index to test it (default true) */
  probeEvent?: boolean;
}

async function checkIndex(
  service: HecService,
  ep: HecService['endpoints'][number],
  token: string,
  config: HecSinkConfig,
  index: string | undefined,
): Promise<HecIndexCheck> {
  const name = index ?? '(token default)';
  const envelope = {
    time: Date.now() / 1000,
    ...(config.host ? { host: config.host } : {}),
    source: config.source,
    sourcetype: 'entrawatch:probe',
    ...(index ? { index } : {}),
    event: { entrawatch: 'hec check probe', at: new Date().toISOString() },
  };
  const body = await buildHecBody([JSON.stringify(envelope)], false);
  try {
    const reply = await service.post(ep, HEC_EVENT_PATH, body.body, hecHeaders(token, ep.channels[0], false));
    if (reply.status === 200) return { index: name, ok: true, answer: describeReply(reply) };
    return {
      index: name,
      ok: false,
      answer: describeReply(reply),
      problem: fatalMessage(reply) ?? `probe event refused: ${describeReply(reply)}`,
    };
  } catch (err) {
    return { index: name, ok: false, answer: 'no answer', problem: (err as Error).message };
  }
}

export async function checkHec(input: HecSinkConfigInput | HecSinkConfig, options: HecCheckOptions = {}): Promise<HecCheckReport> {
  const config = validateHecSinkConfig(input);
  const token = await readHecToken(config);
  let ca: string | undefined;
  if (config.tls.caFile) {
    try {
      ca = await readFile(config.tls.caFile, 'utf8');
    } catch (err) {
      throw new ConfigError('sinks.hec.tls.caFile', `cannot read ${config.tls.caFile} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  const service = new HecService({
    urls: config.urls,
    maxInFlightRequests: 1,
    requestTimeoutMs: Math.min(config.requestTimeoutMs, 15_000),
    rejectUnauthorized: config.tls.rejectUnauthorized,
    ca,
    token,
  });
  const report: HecCheckReport = { ok: true, useAck: config.useAck, urls: [], problems: [] };
  try {
    for (const ep of service.endpoints) {
      const probe = await probeHecEndpoint(service, ep, { token, channel: ep.channels[0] });
      const https = ep.url.startsWith('https:');
      const check: HecUrlCheck = {
        ...probe,
        tls: !https ? 'plain http' : config.tls.rejectUnauthorized ? 'verified' : 'not verified (tls.rejectUnauthorized: false)',
        indexes: [],
      };
      const where = ep.url;
      if (probe.fatal) report.problems.push(`${where}: ${probe.fatal.message}`);
      else if (probe.problem) report.problems.push(`${where}: ${probe.problem}`);
      if (probe.ackEnabled === false && config.useAck) {
        report.problems.push(`${where}: the token has indexer acknowledgment off but sinks.hec.useAck is true: set useAck: false or enable acks on the token`);
      }
      if (probe.ackEnabled === true && !config.useAck) {
        report.problems.push(`${where}: the token has indexer acknowledgment on but sinks.hec.useAck is false: set useAck: true`);
      }
      if (probe.tokenValid && options.probeEvent !== false) {
        const indexes = [...new Set([config.index, config.detectionIndex ?? config.index])];
        for (const index of indexes) {
          const r = await checkIndex(service, ep, token, config, index);
          check.indexes.push(r);
          if (!r.ok) report.problems.push(`${where}: index ${r.index}: ${r.problem}`);
        }
      }
      report.urls.push(check);
    }
  } finally {
    await service.close();
  }
  report.problems = report.problems.map((p) => service.scrub(p));
  report.ok = report.problems.length === 0;
  return report;
}

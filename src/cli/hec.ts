/**
 * `entrawatch hec check`: tests a Splunk HEC destination before the worker uses it: URL reachability and TLS,
 * HEC health, the token (valid / disabled / acks on or off, against sinks.hec.useAck) and each index (one small
 * probe event, sourcetype entrawatch:probe, unless --no-probe-event). Settings come from flags or from the
 * `sinks.hec` section of entrawatch.yaml (--config). Prints what it found; exit 1 when anything is wrong.
 * The token is taken from --token-file, the config, or ENTRAWATCH_SINKS__HEC__TOKEN, and is never printed.
 */
import type { Command } from 'commander';
import { applyEnvOverrides, readYamlFile, resolveSecretFiles } from '../config/load.js';
import { checkHec, type HecCheckReport } from '../sinks/hec/check.js';
import { validateHecSinkConfig, type HecSinkConfig } from '../sinks/hec/config.js';
import { UsageError } from './usage-error.js';

export interface HecCheckCliOptions {
  config?: string;
  url?: string[];
  tokenFile?: string;
  index?: string;
  detectionIndex?: string;
  ack?: boolean;
  caFile?: string;
  insecure?: boolean;
  probeEvent?: boolean;
  json?: boolean;
}

/** The sinks.hec config from --config (with env overrides and secret files) and/or the flags (flags win). */
export function hecConfigFromCli(o: HecCheckCliOptions, env: NodeJS.ProcessEnv = process.env): HecSinkConfig {
  let section: Record<string, unknown> = {};
  if (o.config) {
    const doc = resolveSecretFiles(applyEnvOverrides(readYamlFile(o.config), env)) as Record<string, unknown>;
    const sinks = doc.sinks as Record<string, unknown> | undefined;
    if (!sinks || typeof sinks.hec !== 'object' || sinks.hec === null) {
      throw new UsageError(`${o.config} has no sinks.hec section: add one, or pass --url and --token-file`);
    }
    section = { ...(sinks.hec as Record<string, unknown>) };
  } else {
    const token = env.ENTRAWATCH_SINKS__HEC__TOKEN;
    if (token && !o.tokenFile) section.token = token;
  }
  if (o.url && o.url.length > 0) section.urls = o.url;
  if (o.tokenFile) {
    delete section.token;
    section.tokenFile = o.tokenFile;
  }
  if (o.index) section.index = o.index;
  if (o.detectionIndex) section.detectionIndex = o.detectionIndex;
  if (o.ack === false) section.useAck = false;
  if (o.caFile || o.insecure) {
    section.tls = {
      ...((section.tls as object | undefined) ?? {}),
      ...(o.caFile ? { caFile: o.caFile } : {}),
      ...(o.insecure ? { rejectUnauthorized: false } : {}),
    };
  }
  if (!section.urls) throw new UsageError('no HEC URL: pass --url https://splunk.example.com:8088 or --config entrawatch.yaml');
  return validateHecSinkConfig(section);
}

/** Renders a check report for people. */
export function formatHecCheckReport(report: HecCheckReport): string {
  const lines: string[] = [];
  const yesNo = (v: boolean | undefined, yes: string, no: string, unknown = 'not checked') =>
    v === undefined ? unknown : v ? yes : no;
  for (const u of report.urls) {
    lines.push(`HEC ${u.url}`);
    lines.push(`  reachable  ${u.reachable ? `yes (${u.tls})` : 'no'}`);
    lines.push(`  health     ${u.health ?? 'not checked'}`);
    lines.push(`  token      ${yesNo(u.tokenValid, 'valid', 'REFUSED')}`);
    lines.push(
      `  acks       ${yesNo(u.ackEnabled, 'on for this token', 'off for this token')} (sinks.hec.useAck: ${report.useAck})`,
    );
    for (const i of u.indexes) lines.push(`  index      ${i.index}: ${i.ok ? 'OK (probe event accepted)' : `REFUSED (${i.answer})`}`);
  }
  if (report.problems.length > 0) {
    lines.push('problems:');
    for (const p of report.problems) lines.push(`  - ${p}`);
  }
  lines.push(report.ok ? 'result: OK' : `result: FAILED (${report.problems.length} problem(s))`);
  return lines.join('\n') + '\n';
}

/** Runs the check and writes the report; returns the exit code (0 ok, 1 a problem). */
export async function runHecCheck(o: HecCheckCliOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const config = hecConfigFromCli(o);
  const report = await checkHec(config, { probeEvent: o.probeEvent !== false });
  out.write(o.json ? `${JSON.stringify(report, null, 2)}\n` : formatHecCheckReport(report));
  return report.ok ? 0 : 1;
}

export function registerHecCommand(program: Command): void {
  const hec = program.command('hec').description('Splunk HTTP Event Collector tools');
  hec
    .command('check')
    .description(
      'Test a Splunk HEC destination: reachability and TLS, health, token, indexer acknowledgment, and each index ' +
        '(sends one small probe event, sourcetype entrawatch:probe, per index unless --no-probe-event). Exit 1 on a problem.',
    )
    .option('-c, --config <file>', 'entrawatch.yaml: use its sinks.hec section (flags below override it)')
    .option('-u, --url <url...>', 'HEC base URL(s), e.g. https://splunk.example.com:8088')
    .option('--token-file <file>', 'file holding the HEC token (or set ENTRAWATCH_SINKS__HEC__TOKEN)')
    .option('-i, --index <index>', 'index for raw events (default: the token default index)')
    .option('--detection-index <index>', 'index for detections')
    .option('--no-ack', 'the sink will run with useAck: false')
    .option('--ca-file <file>', 'PEM file of the CA that signed the HEC certificate')
    .option('--insecure', 'do not verify the HEC certificate (lab only)')
    .option('--no-probe-event', 'do not send the probe event (the index is then not checked)')
    .option('--json', 'print the report as JSON')
    .action(async (opts: HecCheckCliOptions) => {
      process.exitCode = await runHecCheck(opts);
    });
}

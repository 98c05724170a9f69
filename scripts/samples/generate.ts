/**
 * generateSamples(options): the whole sample set in memory (relative path -> bytes) plus its manifest, fully
 * determined by the seed: planted scenarios first, then the background, the learning history and the steady
 * guide-app traffic that fills every hour up to its target, then the self-checks, then the files.
 */
import { Context, type GeneratorOptions } from './context.js';
import { envelopeLines, gzipLines } from './envelopes.js';
import { auditCsv, authDetailsCsv, graphAudits, graphSignIns, signInsCsv } from './exports.js';
import { generateBackground } from './background.js';
import { runSelfChecks } from './checks.js';
import { generateHistory } from './history.js';
import type { SampleRecord, Scenario, Stream } from './sample-set.js';
import { plantApplicationScenarios } from './scenarios/applications.js';
import { plantBaselineScenarios } from './scenarios/baseline.js';
import { plantConsumerAccountScenarios } from './scenarios/consumer-accounts.js';
import { plantInfrastructureScenarios } from './scenarios/infrastructure.js';
import { plantPrivilegedAccountScenarios } from './scenarios/privileged-accounts.js';
import { samplesReadme } from './readme.js';
import { RATE_PLAN, fillSteadyGuideTraffic } from './steady-traffic.js';
import { HOUR, MINUTE, compareInstants } from './time.js';
import { SAMPLE_DAY } from './world.js';

export type { GeneratorOptions } from './context.js';

export const DEFAULT_SEED = 1102;
export const GENERATOR_PATH = 'scripts/generate-samples.ts';

export interface Manifest {
  generator: string;
  seed: number;
  day: string;
  records: number;
  scenarios: Scenario[];
}

export interface GeneratedSamples {
  /** relative path under the output folder -> file bytes */
  files: Map<string, Buffer>;
  manifest: Manifest;
}

const DAY_FILES: ReadonlyArray<readonly [Stream, string]> = [
  ['signin', `eventhubs/insights-logs-signinlogs-${SAMPLE_DAY}.json.gz`],
  ['noninteractive', `eventhubs/insights-logs-noninteractiveusersigninlogs-${SAMPLE_DAY}.json.gz`],
  ['serviceprincipal', `eventhubs/insights-logs-serviceprincipalsigninlogs-${SAMPLE_DAY}.json.gz`],
  ['audit', `eventhubs/insights-logs-auditlogs-${SAMPLE_DAY}.json.gz`],
];

const ROW_ORDER = ['CA', 'PA', 'AP', 'IN', 'BL'];

function rowKey(row: string): number {
  const [prefix, n] = row.split('-');
  return ROW_ORDER.indexOf(prefix) * 100 + Number(n);
}

function nextDay(isoDate: string): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + 24 * HOUR).toISOString().slice(0, 10);
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function generateSamples(options: GeneratorOptions): GeneratedSamples {
  const ctx = new Context(options);
  plantConsumerAccountScenarios(ctx);
  plantPrivilegedAccountScenarios(ctx);
  plantApplicationScenarios(ctx);
  plantInfrastructureScenarios(ctx);
  plantBaselineScenarios(ctx);
  generateBackground(ctx);
  const history = generateHistory(ctx);
  const rateHours = fillSteadyGuideTraffic(ctx, { from: ctx.day0, hours: 24, stream: 'signin', planted: true, withAudits: true });
  for (const r of rateHours) {
    const row = r.outcome === 'failure' ? 'CA-7' : 'CA-9';
    const what = r.outcome === 'failure' ? 'failed authentications' : 'successful sign-ins';
    const fire = r.hour === RATE_PLAN[r.outcome].fire;
    const pct = Math.round((r.factor - 1) * 100);
    ctx.set.scenario(row, fire ? 'fire' : 'no-fire',
      `${what} on the guide apps in hour ${String(r.hour).padStart(2, '0')}:00 at +${pct} % of the steady rate (${fire ? 'above' : 'below'} the +10 % threshold)`, r.eventIds);
  }
  runSelfChecks(ctx.set, ctx.day0, options.scale >= 1);

  const files = new Map<string, Buffer>();
  const byStream = (stream: Stream) => ctx.set.byStream(stream).sort((a, b) => compareInstants(a.at, b.at));
  let dayRecords = 0;
  for (const [stream, path] of DAY_FILES) {
    const records = byStream(stream);
    dayRecords += records.length;
    files.set(path, gzipLines(envelopeLines(records, ctx.rng(`envelopes:${stream}`))));
  }
  const historyPath = `eventhubs/history-signinlogs-${isoDate(history.from)}_${isoDate(history.to - 1)}.json.gz`;
  files.set(historyPath, gzipLines(envelopeLines(byStream('history'), ctx.rng('envelopes:history'))));

  const manifestIds = new Set(ctx.set.scenarios.flatMap((s) => s.eventIds));
  const quiet = (stream: Stream, fromHour: number, minutes: number, max: number): SampleRecord[] =>
    byStream(stream)
      .filter((r) => !r.planted && !manifestIds.has(r.id) && r.at.ms >= ctx.day0 + fromHour * HOUR && r.at.ms < ctx.day0 + fromHour * HOUR + minutes * MINUTE)
      .slice(0, max);
  const range = `${SAMPLE_DAY}_${nextDay(SAMPLE_DAY)}`;
  const interactive = quiet('signin', 8, 40, 300);
  files.set(`portal/InteractiveSignIns_${range}.csv`, Buffer.from(signInsCsv(interactive), 'utf8'));
  files.set(`portal/InteractiveSignIns_AuthDetails_${range}.csv`, Buffer.from(authDetailsCsv(interactive), 'utf8'));
  files.set(`portal/NonInteractiveSignIns_${range}.csv`, Buffer.from(signInsCsv(quiet('noninteractive', 8, 120, 250)), 'utf8'));
  files.set(`portal/AuditLogs_${range}.csv`, Buffer.from(auditCsv(quiet('audit', 8, 60, 250)), 'utf8'));
  files.set('graph/signins.json', Buffer.from(graphSignIns(quiet('signin', 12, 30, 250)), 'utf8'));
  files.set('graph/audit.json', Buffer.from(graphAudits(quiet('audit', 12, 60, 250)), 'utf8'));

  const scenarios = [...ctx.set.scenarios].sort((a, b) => rowKey(a.row) - rowKey(b.row) || (a.expect === b.expect ? 0 : a.expect === 'fire' ? -1 : 1));
  const manifest: Manifest = { generator: GENERATOR_PATH, seed: options.seed, day: SAMPLE_DAY, records: dayRecords, scenarios };
  files.set('manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8'));
  files.set('README.md', Buffer.from(samplesReadme(manifest, [...files.keys(), 'README.md'].sort()), 'utf8'));
  return { files, manifest };
}

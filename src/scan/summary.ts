/**
 * Counts what a scan saw and renders the summary table: records by kind and category, sign-in failures by error
 * code, detections by rule and severity, bad records.
 */
import type { EntraEvent } from '../normalize/event.js';
import type { Detection } from '../rules/types.js';
import type { AuthDetailsCounts } from './auth-details-join.js';

export interface ScanSummary {
  records: number;
  badRecords: number;
  byKindCategory: Record<string, number>;
  signInFailuresByCode: Record<string, number>;
  detections: number;
  detectionsByRule: Record<string, { title: string; level: string; seedRows: string[]; count: number }>;
  detectionsBySeverity: Record<string, number>;
  seconds: number;
  recordsPerSecond: number;
  /** only when the inputs held portal auth-details rows */
  authDetails?: AuthDetailsCounts;
}

export class ScanCounter {
  private readonly summary: ScanSummary = {
    records: 0,
    badRecords: 0,
    byKindCategory: {},
    signInFailuresByCode: {},
    detections: 0,
    detectionsByRule: {},
    detectionsBySeverity: {},
    seconds: 0,
    recordsPerSecond: 0,
  };
  private readonly started = process.hrtime.bigint();

  get records(): number {
    return this.summary.records;
  }

  get badRecords(): number {
    return this.summary.badRecords;
  }

  countEvent(event: EntraEvent): void {
    this.summary.records++;
    const key = `${event.kind}/${event.category}`;
    this.summary.byKindCategory[key] = (this.summary.byKindCategory[key] ?? 0) + 1;
    if (event.kind === 'signin') {
      const code = event.cim.signature_id;
      if (code !== undefined && String(code) !== '0' && event.cim.action === 'failure') {
        this.summary.signInFailuresByCode[String(code)] = (this.summary.signInFailuresByCode[String(code)] ?? 0) + 1;
      }
    }
  }

  countAuthDetails(counts: AuthDetailsCounts): void {
    this.summary.authDetails = { ...counts };
  }

  countBadRecord(): void {
    this.summary.badRecords++;
  }

  countDetection(d: Detection): void {
    this.summary.detections++;
    const entry = (this.summary.detectionsByRule[d.rule.name ?? d.rule.id] ??= {
      title: d.rule.title,
      level: d.rule.level,
      seedRows: d.rule.seedRows,
      count: 0,
    });
    entry.count++;
    this.summary.detectionsBySeverity[d.cim.severity] = (this.summary.detectionsBySeverity[d.cim.severity] ?? 0) + 1;
  }

  finish(): ScanSummary {
    const seconds = Number(process.hrtime.bigint() - this.started) / 1e9;
    this.summary.seconds = Math.round(seconds * 1000) / 1000;
    this.summary.recordsPerSecond = seconds > 0 ? Math.round((this.summary.records + this.summary.badRecords) / seconds) : 0;
    return this.summary;
  }
}

const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'informational'];

function table(title: string, headers: string[], rows: string[][]): string {
  if (rows.length === 0) return `${title}\n  (none)\n`;
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [title, line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

export function renderSummaryTable(s: ScanSummary): string {
  const parts: string[] = [];
  parts.push(
    `entrawatch scan: ${s.records} records, ${s.badRecords} bad, ${s.detections} detections in ${s.seconds} s (${s.recordsPerSecond} records/s)\n`,
  );
  if (s.authDetails) {
    const a = s.authDetails;
    parts.push(
      `Authentication details (portal AuthDetails CSV): ${a.joined} rows joined to their sign-in by Request ID ` +
        `(steps added to ${a.signIns} sign-ins), ${a.unjoined} unjoined` +
        (a.unjoined > 0 ? ' (no sign-in with their Request ID among the inputs: kept as SignInAuthenticationDetails events)' : '') +
        '\n',
    );
  }
  parts.push(
    table(
      'Records by kind and category',
      ['kind', 'category', 'records'],
      Object.entries(s.byKindCategory)
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => [...k.split('/', 2), String(n)] as string[]),
    ),
  );
  parts.push(
    table(
      'Sign-in failures by error code',
      ['code', 'failures'],
      Object.entries(s.signInFailuresByCode)
        .sort((a, b) => b[1] - a[1])
        .map(([code, n]) => [code, String(n)]),
    ),
  );
  parts.push(
    table(
      'Detections by severity',
      ['severity', 'detections'],
      Object.entries(s.detectionsBySeverity)
        .sort((a, b) => SEVERITY_ORDER.indexOf(a[0]) - SEVERITY_ORDER.indexOf(b[0]))
        .map(([sev, n]) => [sev, String(n)]),
    ),
  );
  parts.push(
    table(
      'Detections by rule',
      ['level', 'rows', 'count', 'rule'],
      Object.entries(s.detectionsByRule)
        .sort((a, b) => SEVERITY_ORDER.indexOf(a[1].level) - SEVERITY_ORDER.indexOf(b[1].level) || b[1].count - a[1].count)
        .map(([name, r]) => [r.level, r.seedRows.join(','), String(r.count), `${r.title} (${name})`]),
    ),
  );
  return parts.join('\n');
}

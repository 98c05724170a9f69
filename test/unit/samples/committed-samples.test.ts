/**
 * The committed samples/ folder: it is exactly what the generator writes for the committed seed (manifest and a
 * hash of every file), the manifest plants a fire and a no-fire scenario for every row of the guide, every
 * planted event id exists exactly once in the samples, and the Event Hubs files have the shapes and limits of
 * Azure Monitor diagnostic settings (envelopes, 7-digit times, string result types, JSON-encoded modified
 * properties, documentation IP ranges, a few minutes of disorder at most).
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSamples, type GeneratedSamples, type Manifest } from '../../../scripts/samples/generate.js';
import { AUDIT_CSV_HEADERS, AUTHDETAILS_CSV_HEADERS, SIGNIN_CSV_HEADERS } from '../../../scripts/samples/exports.js';
import { AUTHDETAILS_COLUMNS } from '../../../src/normalize/csv-columns.js';
import { listFiles } from './list-files.js';

const SAMPLES = 'samples';
const GUIDE_ROWS = [
  ...Array.from({ length: 9 }, (_, i) => `CA-${i + 1}`),
  ...Array.from({ length: 13 }, (_, i) => `PA-${i + 1}`),
  ...Array.from({ length: 12 }, (_, i) => `AP-${i + 1}`),
  ...Array.from({ length: 15 }, (_, i) => `IN-${i + 1}`),
  ...Array.from({ length: 4 }, (_, i) => `BL-${i + 1}`),
];
const TIME_7 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/;

type Json = Record<string, unknown>;

interface HubFile {
  path: string;
  lines: string[];
  records: Json[];
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function readHub(path: string): HubFile {
  const lines = gunzipSync(readFileSync(path)).toString('utf8').split('\n').filter((l) => l !== '');
  return { path, lines, records: lines.flatMap((l) => (JSON.parse(l) as { records: Json[] }).records) };
}

function isDocumentationIp(ip: string): boolean {
  return /^(198\.51\.100|203\.0\.113|192\.0\.2)\.\d{1,3}$/.test(ip) || /^2001:db8:/i.test(ip);
}

function csvHeader(path: string): string {
  return readFileSync(path, 'utf8').replace(/^\ufeff/, '').split('\r\n')[0];
}

describe('committed samples', () => {
  const manifest = JSON.parse(readFileSync(join(SAMPLES, 'manifest.json'), 'utf8')) as Manifest;
  let generated: GeneratedSamples;
  let hubs: HubFile[];
  let day: HubFile[];

  beforeAll(() => {
    generated = generateSamples({ seed: manifest.seed, scale: 1 });
    hubs = listFiles(join(SAMPLES, 'eventhubs')).map((f) => readHub(join(SAMPLES, 'eventhubs', f)));
    day = hubs.filter((h) => !h.path.includes('/history-'));
  }, 300_000);

  it('are what the generator writes for the committed seed (run `npm run samples` after changing it)', () => {
    expect(generated.manifest).toEqual(manifest);
    expect(listFiles(SAMPLES)).toEqual([...generated.files.keys()].sort());
    for (const [path, data] of generated.files) {
      expect(sha256(readFileSync(join(SAMPLES, path))), path).toBe(sha256(data));
    }
  });

  it('stay small enough to commit', () => {
    const bytes = listFiles(SAMPLES).reduce((n, f) => n + statSync(join(SAMPLES, f)).size, 0);
    expect(bytes).toBeLessThan(15_000_000);
  });

  it('hold at least 20,000 records of the sample day, as the manifest says', () => {
    expect(manifest.generator).toBe('scripts/generate-samples.ts');
    expect(manifest.day).toBe('2026-11-02');
    const count = day.reduce((n, h) => n + h.records.length, 0);
    expect(count).toBe(manifest.records);
    expect(count).toBeGreaterThanOrEqual(20_000);
    const start = Date.parse('2026-11-02T00:00:00Z');
    const outside = day.flatMap((h) => h.records.map((r) => String(r['time'])))
      .filter((time) => !(Date.parse(time) >= start && Date.parse(time) < start + 86_400_000));
    expect(outside.slice(0, 5)).toEqual([]);
  });

  it('plant a fire and a no-fire scenario for every row of the guide', () => {
    const rows = new Set(manifest.scenarios.map((s) => s.row));
    expect([...rows].sort()).toEqual([...GUIDE_ROWS].sort());
    for (const row of GUIDE_ROWS) {
      const of = manifest.scenarios.filter((s) => s.row === row);
      expect(of.some((s) => s.expect === 'fire'), `${row} fire`).toBe(true);
      expect(of.some((s) => s.expect === 'no-fire'), `${row} no-fire`).toBe(true);
      for (const s of of) {
        expect(s.eventIds.length, `${row}: ${s.description}`).toBeGreaterThan(0);
        expect(s.description.length).toBeGreaterThan(10);
      }
    }
  });

  it('contain every planted event id exactly once across all sample files', () => {
    const seen = new Map<string, number>();
    const count = (id: unknown) => {
      if (typeof id === 'string') seen.set(id, (seen.get(id) ?? 0) + 1);
    };
    for (const h of hubs) for (const r of h.records) count((r['properties'] as Json)['id']);
    const signins = JSON.parse(readFileSync(join(SAMPLES, 'graph/signins.json'), 'utf8')) as { value: Json[] };
    for (const r of signins.value) count(r['id']);
    for (const r of JSON.parse(readFileSync(join(SAMPLES, 'graph/audit.json'), 'utf8')) as Json[]) count(r['id']);
    for (const f of listFiles(join(SAMPLES, 'portal')).filter((f) => f.includes('SignIns'))) {
      for (const line of readFileSync(join(SAMPLES, 'portal', f), 'utf8').split('\r\n').slice(1)) count(line.split(',')[1]);
    }
    const dayIds = new Set(day.flatMap((h) => h.records.map((r) => (r['properties'] as Json)['id'])));
    const wrong = manifest.scenarios.flatMap((s) => s.eventIds
      .filter((id) => seen.get(id) !== 1 || !dayIds.has(id))
      .map((id) => `${s.row} ${s.expect}: ${id} found ${seen.get(id) ?? 0} time(s)${dayIds.has(id) ? '' : ', not on the sample day'}`));
    expect(wrong.slice(0, 10)).toEqual([]);
  });

  it('batch records into diagnostic-settings envelopes of at most 500 records and 1 MB, one per line', () => {
    const wrong: string[] = [];
    for (const h of hubs) {
      h.lines.forEach((line, i) => {
        const env = JSON.parse(line) as { records: unknown[] };
        const bytes = Buffer.byteLength(line);
        if (Object.keys(env).join() !== 'records' || env.records.length === 0 || env.records.length > 500 || bytes > 1_000_000) {
          wrong.push(`${h.path}:${i + 1}: ${env.records?.length} records, ${bytes} bytes`);
        }
      });
    }
    expect(wrong.slice(0, 10)).toEqual([]);
  });

  it('write records in the Azure Monitor shapes', () => {
    const problems: string[] = [];
    const check = (ok: boolean, what: string) => {
      if (!ok && problems.length < 20) problems.push(what);
    };
    let auditsWithoutResultType = 0;
    let audits = 0;
    for (const h of hubs) {
      for (const r of h.records) {
        const p = r['properties'] as Json;
        const where = `${h.path} ${String(p['id'])}`;
        check(TIME_7.test(String(r['time'])), `${where}: time ${String(r['time'])}`);
        check(typeof p['id'] === 'string', `${where}: properties.id`);
        if (r['category'] === 'AuditLogs') {
          audits++;
          check(r['level'] === 'Informational', `${where}: level`);
          if (!('resultType' in r)) auditsWithoutResultType++;
          for (const t of p['targetResources'] as Json[]) {
            for (const mp of t['modifiedProperties'] as Json[]) {
              for (const v of [mp['oldValue'], mp['newValue']]) check(v === null || typeof v === 'string', `${where}: modifiedProperties value ${JSON.stringify(v)}`);
            }
          }
          const ip = String(r['callerIpAddress']);
          check(ip === '<null>' || isDocumentationIp(ip), `${where}: callerIpAddress ${ip}`);
        } else {
          check(['SignInLogs', 'NonInteractiveUserSignInLogs', 'ServicePrincipalSignInLogs'].includes(String(r['category'])), `${where}: category`);
          check(r['Level'] === 4, `${where}: Level`);
          check(typeof r['resultType'] === 'string' && String((p['status'] as Json)['errorCode']) === r['resultType'], `${where}: resultType`);
          check(isDocumentationIp(String(p['ipAddress'])), `${where}: ipAddress ${String(p['ipAddress'])}`);
          check(typeof r['correlationId'] === 'string', `${where}: correlationId`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(audits).toBeGreaterThan(1000);
    expect(auditsWithoutResultType).toBeGreaterThan(audits / 2);
    expect(auditsWithoutResultType).toBeLessThan(audits);
  });

  it('arrive mostly in time order, with a few minutes of disorder at most', () => {
    for (const h of day) {
      let max = -Infinity;
      let behind = 0;
      let worst = 0;
      for (const r of h.records) {
        const t = Date.parse(String(r['time']));
        if (t < max) {
          behind++;
          worst = Math.max(worst, max - t);
        }
        max = Math.max(max, t);
      }
      expect(worst, h.path).toBeLessThanOrEqual(6 * 60_000);
      expect(behind, h.path).toBeGreaterThan(0);
      expect(behind, h.path).toBeLessThan(h.records.length / 4);
    }
  });

  it('ship the authentication steps of every interactive CSV sign-in, in step order, as the AuthDetails CSV', () => {
    const rows = (file: string) => parseCsv(readFileSync(join(SAMPLES, 'portal', file)), { bom: true, columns: true }) as Array<Record<string, string>>;
    const signIns = rows('InteractiveSignIns_2026-11-02_2026-11-03.csv');
    const steps = rows('InteractiveSignIns_AuthDetails_2026-11-02_2026-11-03.csv');
    const methodsBySignIn = new Map<string, string[]>();
    for (const s of steps) methodsBySignIn.set(s['Request ID'], [...(methodsBySignIn.get(s['Request ID']) ?? []), s['Authentication method']]);
    expect(signIns.filter((s) => !methodsBySignIn.has(s['Request ID'])).map((s) => s['Request ID'])).toEqual([]);
    expect(methodsBySignIn.size).toBe(signIns.length);
    const mfa = signIns.filter((s) => s['Authentication requirement'] === 'Multifactor authentication');
    expect(mfa.length).toBeGreaterThan(0);
    for (const s of mfa) expect(methodsBySignIn.get(s['Request ID'])).toEqual(['Password', s['Multifactor authentication auth method']]);
    for (const s of signIns.filter((x) => x['Authentication requirement'] === 'Single-factor authentication')) {
      expect(methodsBySignIn.get(s['Request ID'])).toEqual(['Password']);
    }
  });

  it('ship portal CSVs with the portal headers and Graph JSON exports', () => {
    const portal = listFiles(join(SAMPLES, 'portal'));
    expect(portal).toEqual([
      'AuditLogs_2026-11-02_2026-11-03.csv',
      'InteractiveSignIns_2026-11-02_2026-11-03.csv',
      'InteractiveSignIns_AuthDetails_2026-11-02_2026-11-03.csv',
      'NonInteractiveSignIns_2026-11-02_2026-11-03.csv',
    ]);
    const signInHeader = csvHeader(join(SAMPLES, 'portal', portal[1]));
    expect(signInHeader).toBe(SIGNIN_CSV_HEADERS.join(','));
    expect(signInHeader).toContain(',Application ID ,');
    expect(signInHeader).toContain(',Autonomous system  number,');
    expect(csvHeader(join(SAMPLES, 'portal', portal[2]))).toBe(AUTHDETAILS_CSV_HEADERS.join(','));
    expect(AUTHDETAILS_CSV_HEADERS.filter((h) => !Object.hasOwn(AUTHDETAILS_COLUMNS, h.toLowerCase()))).toEqual([]);
    expect(csvHeader(join(SAMPLES, 'portal', portal[3]))).toBe(SIGNIN_CSV_HEADERS.join(','));
    expect(csvHeader(join(SAMPLES, 'portal', portal[0]))).toBe(AUDIT_CSV_HEADERS.join(','));
    expect(AUDIT_CSV_HEADERS).toContain('Target3ModifiedProperty5NewValue');
    expect(AUDIT_CSV_HEADERS).toContain('AdditionalDetail6Value');
    const signins = JSON.parse(readFileSync(join(SAMPLES, 'graph/signins.json'), 'utf8')) as { value: Json[] };
    const audits = JSON.parse(readFileSync(join(SAMPLES, 'graph/audit.json'), 'utf8')) as Json[];
    expect(signins.value.length).toBeGreaterThanOrEqual(100);
    expect(Array.isArray(audits) && audits.length >= 100).toBe(true);
    expect(signins.value[0]).toHaveProperty('createdDateTime');
    expect(audits[0]).toHaveProperty('activityDisplayName');
  });
});

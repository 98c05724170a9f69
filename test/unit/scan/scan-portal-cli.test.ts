/**
 * `entrawatch scan samples/portal` as a user runs it (a child process of bin/entrawatch.js): the interactive
 * sign-ins CSV and its AuthDetails download are joined, the summary says so, and each joined sign-in has the
 * authentication steps and the CIM values of the same sign-in in the Event Hubs samples.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodePath } from '../../../src/decode/index.js';
import type { EntraEvent } from '../../../src/normalize/event.js';
import { normalizeRecord } from '../../../src/normalize/index.js';
import type { ScanSummary } from '../../../src/scan/summary.js';

const root = join(import.meta.dirname, '..', '..', '..');
const bin = join(root, 'bin', 'entrawatch.js');

function scan(args: string[]) {
  const r = spawnSync(process.execPath, [bin, 'scan', ...args, '--no-dns', '--no-progress'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

type Step = Record<string, unknown>;
const stepsOf = (e: Pick<EntraEvent, 'fields'>) => ((e.fields.properties as { authenticationDetails?: Step[] }).authenticationDetails ?? []);
/** The portal writes whole seconds and leaves empty cells out: compare steps at that precision. */
const portalView = (steps: Step[]) =>
  steps.map((s) => Object.fromEntries(Object.entries(s)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => [k, k === 'authenticationStepDateTime' ? new Date(Date.parse(String(v))).toISOString().slice(0, 19) : v])));

describe('entrawatch scan samples/portal (CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ew-scan-portal-'));
  const eventsFile = join(dir, 'events.ndjson');
  let json: ReturnType<typeof scan>;
  let events: EntraEvent[];
  const hub = new Map<string, EntraEvent>();

  beforeAll(async () => {
    json = scan(['samples/portal', '--format', 'json', '--events', eventsFile]);
    events = readFileSync(eventsFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as EntraEvent);
    for await (const r of decodePath(join(root, 'samples', 'eventhubs', 'insights-logs-signinlogs-2026-11-02.json.gz'))) {
      if (r.ok) hub.set(String((r.record.properties as { id: unknown }).id), normalizeRecord(r));
    }
  }, 120_000);

  it('joins every AuthDetails row to its sign-in and says so in the summary', () => {
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const summary = JSON.parse(json.stdout) as ScanSummary;
    expect(summary.badRecords).toBe(0);
    expect(summary.authDetails).toEqual({ joined: 301, unjoined: 0, signIns: 300 });
    expect(summary.byKindCategory).toEqual({ 'signin/SignInLogs': 300, 'signin/NonInteractiveUserSignInLogs': 250, 'audit/AuditLogs': 250 });
    expect(summary.records).toBe(800);
    expect(events).toHaveLength(800);
  });

  it('prints the join in the summary table', () => {
    const table = scan(['samples/portal']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^entrawatch scan: 800 records, 0 bad, 0 detections/);
    expect(table.stdout).toContain('Authentication details (portal AuthDetails CSV): 301 rows joined to their sign-in by Request ID (steps added to 300 sign-ins), 0 unjoined\n');
    expect(table.stdout).not.toMatch(/SignInAuthenticationDetails/);
  });

  it('gives each interactive CSV sign-in the steps and the CIM values of the same Event Hubs sign-in', () => {
    const interactive = events.filter((e) => e.category === 'SignInLogs');
    expect(interactive).toHaveLength(300);
    const twoSteps = interactive.filter((e) => stepsOf(e).length === 2);
    expect(twoSteps.map((e) => stepsOf(e).map((s) => s.authenticationMethod))).toEqual([['Password', 'Mobile app notification']]);
    for (const e of interactive) {
      const m = hub.get(e.id);
      expect(m, e.id).toBeDefined();
      expect(stepsOf(e).length, e.id).toBeGreaterThan(0);
      expect({ id: e.id, steps: portalView(stepsOf(e)) }).toEqual({ id: e.id, steps: portalView(stepsOf(m!)) });
      expect({ id: e.id, cim: e.cim }).toEqual({ id: e.id, cim: m!.cim });
    }
  });

  it('joins nothing into the non-interactive sign-ins, whose steps the portal does not export', () => {
    const others = events.filter((e) => e.category === 'NonInteractiveUserSignInLogs');
    expect(others).toHaveLength(250);
    expect(others.filter((e) => stepsOf(e).length > 0)).toEqual([]);
  });
});

/**
 * `entrawatch scan` as a user runs it: a child process of bin/entrawatch.js, exit codes, outputs, bad records.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'entrawatch.js');

function scan(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [bin, 'scan', ...args], { cwd: root, input, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const record = (id: string, errorCode: number, upn: string) =>
  JSON.stringify({
    time: '2026-11-02T10:00:00.0000000Z',
    resourceId: '/tenants/8c0e4c3e-5b0a-4f45-9d5e-6a1b2c3d4e5f/providers/Microsoft.aadiam',
    operationName: 'Sign-in activity',
    category: 'SignInLogs',
    tenantId: '8c0e4c3e-5b0a-4f45-9d5e-6a1b2c3d4e5f',
    resultType: String(errorCode),
    callerIpAddress: '203.0.113.9',
    Level: 4,
    location: 'US',
    properties: {
      id,
      createdDateTime: '2026-11-02T10:00:00.0000000Z',
      userPrincipalName: upn,
      appDisplayName: 'ProxyIdentityExperienceFramework',
      ipAddress: '203.0.113.9',
      status: { errorCode, failureReason: errorCode ? 'Invalid username or password' : undefined },
      location: { countryOrRegion: 'US' },
    },
  });

describe('entrawatch scan (CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ew-scan-'));

  it('summarizes, writes detections and events, and exits 0 on good input', () => {
    const file = join(dir, 'good.ndjson');
    const upn = '0b7e2c1d-0000-4000-8000-00000000a001@contosob2c.onmicrosoft.com';
    writeFileSync(file, Array.from({ length: 6 }, (_, i) => record(`good-${i}`, 50053, upn)).join('\n') + '\n');
    const out = join(dir, 'detections.ndjson');
    const events = join(dir, 'events.ndjson');
    const r = scan([file, '--out', out, '--events', events, '--no-dns']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/6 records, 0 bad/);
    expect(r.stdout).toMatch(/signin\s+SignInLogs\s+6/);
    expect(r.stdout).toMatch(/50053\s+6/);
    const detections = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { rule: { seedRows: string[] } });
    expect(detections.some((d) => d.rule.seedRows.includes('CA-5'))).toBe(true);
    const ev = readFileSync(events, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; cim: { user: string } });
    expect(ev.map((e) => e.id)).toEqual(Array.from({ length: 6 }, (_, i) => `good-${i}`));
    expect(ev[0]!.cim.user).toBe(upn);
  });

  it('reports bad records with file and line, goes on, dead-letters them, and exits 1 only with --strict', () => {
    const file = join(dir, 'mixed.ndjson');
    writeFileSync(file, [record('m-1', 0, 'a@contosob2c.onmicrosoft.com'), '{"truncated": ', 'not json at all', record('m-2', 0, 'b@contosob2c.onmicrosoft.com')].join('\n') + '\n');
    const dlq = join(dir, 'dead.ndjson');
    const lenient = scan([file, '--dead-letter', dlq, '--format', 'json', '--no-dns']);
    expect(lenient.code).toBe(0);
    const summary = JSON.parse(lenient.stdout) as { records: number; badRecords: number };
    expect(summary.records).toBe(2);
    expect(summary.badRecords).toBe(2);
    expect(lenient.stderr).toMatch(new RegExp(`bad record: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2`));
    expect(lenient.stderr).toMatch(/:3/);
    const dead = readFileSync(dlq, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { origin: { line: number }; reason: string });
    expect(dead.map((d) => d.origin.line)).toEqual([2, 3]);
    expect(dead.every((d) => d.reason.length > 0)).toBe(true);

    const strict = scan([file, '--strict', '--quiet', '--no-dns']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/2 records, 2 bad/);
  });

  it('reads stdin with -', () => {
    const r = scan(['-', '--format', 'json', '--no-dns'], record('stdin-1', 0, 'c@contosob2c.onmicrosoft.com') + '\n');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { records: number }).records).toBe(1);
  });

  it('exits 2 with a clear message on usage errors', () => {
    const missing = scan([join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file or directory: .*nope\.json/);
    const badFormat = scan([dir, '--format', 'xml']);
    expect(badFormat.code).toBe(2);
    const badConfig = join(dir, 'bad.yaml');
    writeFileSync(badConfig, 'placeholders:\n  operating_countries: US\n');
    const cfg = scan([dir, '--config', badConfig]);
    expect(cfg.code).toBe(2);
    expect(cfg.stderr).toMatch(/placeholders\.operating_countries/);
  });
});

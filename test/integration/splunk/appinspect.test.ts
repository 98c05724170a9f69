/**
 * Splunk AppInspect (cloud tags, precert mode) on the built .spl: scripts/appinspect.sh creates a venv under
 * .cache/appinspect (pip install splunk-appinspect from PyPI on the first run), builds dist/entrawatch-<version>.spl
 * and inspects it. The app must have 0 failures and 0 errors; warnings are explained in splunk-app/README.md.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

interface Check {
  name: string;
  result: string;
}

describe('AppInspect', () => {
  it('reports no failure and no error for the cloud checks', { timeout: 900_000 }, async () => {
    const { stdout } = await run('bash', ['scripts/appinspect.sh'], { maxBuffer: 16 * 1024 * 1024, timeout: 890_000 }).catch(
      (err: { stdout?: string; stderr?: string; message: string }) => {
        throw new Error(`appinspect.sh failed: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
      },
    );
    const report = JSON.parse(readFileSync('dist/appinspect.json', 'utf8')) as {
      reports: Array<{ summary: Record<string, number>; groups: Array<{ checks: Check[] }> }>;
    };
    const summary = report.reports[0]!.summary;
    const bad = report.reports[0]!.groups.flatMap((g) => g.checks).filter((c) => c.result === 'failure' || c.result === 'error');
    expect(bad.map((c) => c.name), stdout).toEqual([]);
    expect(summary['failure']).toBe(0);
    expect(summary['error']).toBe(0);
    expect(summary['success']).toBeGreaterThan(50);
  });
});

/**
 * The stale check notices an edited generated file and a leftover lookup; `rules convert --to spl` prints each
 * saved-search name with its SPL; `splunk-app build --check` exits 1 on a stale app directory.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runConvert } from '../../../src/cli/convert.js';
import { runSplunkAppBuild } from '../../../src/cli/splunk-app.js';
import { generateAppFiles } from '../../../src/splunk/app-files.js';
import { findStaleFiles } from '../../../src/splunk/build.js';
import { loadAppSources } from '../../../src/splunk/settings.js';
import { packageVersion } from '../../../src/package-root.js';

const tmp = mkdtempSync(join(tmpdir(), 'entrawatch-app-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('stale check', async () => {
  const { files } = generateAppFiles(await loadAppSources('entrawatch.example.yaml'), packageVersion());

  it('lists an edited generated file and a lookup no placeholder produces', async () => {
    const dir = join(tmp, 'app');
    cpSync('splunk-app', dir, { recursive: true });
    expect(await findStaleFiles(dir, files)).toEqual([]);
    appendFileSync(join(dir, 'default', 'savedsearches.conf'), '\n# edited\n');
    writeFileSync(join(dir, 'lookups', 'entrawatch_removed_list.csv'), 'value\nx\n');
    expect(await findStaleFiles(dir, files)).toEqual(['default/savedsearches.conf', 'lookups/entrawatch_removed_list.csv']);
    const lines: string[] = [];
    expect(await runSplunkAppBuild({ out: join(tmp, 'dist'), appDir: dir, check: true }, (l) => lines.push(l))).toBe(1);
    expect(lines.join('\n')).toContain('default/savedsearches.conf');
  });
});

describe('rules convert --to spl', () => {
  it('prints the saved-search name and the SPL of each detection', async () => {
    let out = '';
    let err = '';
    const code = await runConvert(['test/fixtures/convert/rules/plain.yml'], { to: 'spl', config: 'test/fixtures/convert/config.yaml' }, (s) => (out += s), (s) => (err += s));
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toContain('# entrawatch - Plain Sign-in Failure - Rule');
    expect(out).toContain('`entrawatch_aad` category IN ("SignInLogs"');
    expect(out).toContain('| `entrawatch_plain_failure_filter`');
  });

  it('refuses another target language', async () => {
    await expect(runConvert([], { to: 'kql' }, () => {}, () => {})).rejects.toThrow(/only spl/);
  });
});

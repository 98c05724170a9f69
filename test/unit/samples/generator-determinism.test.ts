/**
 * The sample generator is a pure function of its seed: the same seed writes byte-identical files (checked on a
 * reduced run written twice into temporary folders), another seed writes other data, and the generator's sources
 * never read the clock or Math.random.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSamples } from '../../../scripts/samples/generate.js';
import { writeSamples } from '../../../scripts/samples/write.js';
import { listFiles } from './list-files.js';

function sourcesOf(dir: string): string[] {
  return listFiles(dir).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f));
}

describe('sample generator determinism', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('writes byte-identical files for the same seed', () => {
    const runs = [0, 1].map(() => {
      const dir = mkdtempSync(join(tmpdir(), 'entrawatch-samples-'));
      dirs.push(dir);
      writeSamples(generateSamples({ seed: 4242, scale: 0.05 }).files, dir);
      return dir;
    });
    const [a, b] = runs.map(listFiles);
    expect(a).toEqual(b);
    expect(a).toContain('manifest.json');
    for (const file of a) {
      expect(readFileSync(join(runs[0], file)).equals(readFileSync(join(runs[1], file))), file).toBe(true);
    }
  }, 120_000);

  it('writes other data for another seed', () => {
    const one = generateSamples({ seed: 1, scale: 0.05 });
    const two = generateSamples({ seed: 2, scale: 0.05 });
    expect(one.manifest.seed).toBe(1);
    expect(two.manifest.seed).toBe(2);
    const path = 'eventhubs/insights-logs-auditlogs-2026-11-02.json.gz';
    expect(one.files.get(path)!.equals(two.files.get(path)!)).toBe(false);
    expect(one.manifest.scenarios[0].eventIds).not.toEqual(two.manifest.scenarios[0].eventIds);
  }, 120_000);

  it('never reads the clock or Math.random', () => {
    const files = [...sourcesOf('scripts/samples'), 'scripts/generate-samples.ts'];
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/Math\.random|Date\.now|new Date\(\)|performance\.now|process\.hrtime/);
    }
  });
});

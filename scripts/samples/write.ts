/**
 * Writes generated sample files under an output folder (creating sub-folders), returning the bytes written.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function writeSamples(files: ReadonlyMap<string, Buffer>, outDir: string): number {
  let bytes = 0;
  for (const [path, data] of files) {
    const full = join(outDir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, data);
    bytes += data.length;
  }
  return bytes;
}

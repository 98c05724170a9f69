/**
 * decodePath: a file, or a directory read recursively in sorted order (by code point, so runs are reproducible).
 * Skipped in directories (not log data): dot files and dot folders, `manifest.json` and `*.manifest.json`,
 * `*.yaml` / `*.yml`, `*.md`, `*.txt`, `README*`, `LICENSE*`, `*.sha256`. A file named explicitly is always read.
 */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DecodeError } from '../errors.js';
import { decodeStream } from './stream.js';
import type { DecodeResult } from './types.js';

const SKIPPED_FILE = /^(?:\..*|manifest\.json|.*\.manifest\.json|.*\.ya?ml|.*\.md|.*\.txt|readme.*|license.*|.*\.sha256)$/i;

export function isSkippedFileName(name: string): boolean {
  return SKIPPED_FILE.test(name);
}

async function* walk(dir: string): AsyncGenerator<string> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile() && !isSkippedFileName(entry.name)) yield full;
  }
}

export async function* decodePath(path: string): AsyncGenerator<DecodeResult> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    const reason = `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message} (check the path)`;
    yield { ok: false, error: new DecodeError(reason, { cause: err }), origin: { source: path }, snippet: '' };
    return;
  }
  const files = info.isDirectory() ? walk(path) : oneFile(path);
  try {
    for await (const file of files) yield* decodeStream(createReadStream(file), file);
  } catch (err) {
    const reason = `listing ${path} failed: ${(err as Error).message}`;
    yield { ok: false, error: new DecodeError(reason, { cause: err }), origin: { source: path }, snippet: '' };
  }
}

async function* oneFile(path: string): AsyncGenerator<string> {
  yield path;
}

/** The log files decodePath would read for `path`: the file itself, or a directory's files (sorted, skips applied). */
export async function listLogFiles(path: string): Promise<string[]> {
  const info = await stat(path);
  const files: string[] = [];
  for await (const f of info.isDirectory() ? walk(path) : oneFile(path)) files.push(f);
  return files;
}

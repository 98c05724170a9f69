/**
 * Builds the Splunk app: regenerates the generated parts of splunk-app/ (`writeGeneratedFiles`), compares them
 * with the checked-in ones (`findStaleFiles`, for `--check` and the stale test) and packages the directory as
 * `dist/entrawatch-<version>.spl` (a gzipped tar of `entrawatch/`, see tar.ts).
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { APP_ID } from './app-files.js';
import { tarGzip, type TarEntry } from './tar.js';

/** Generated lookup files: any other entrawatch_*.csv in lookups/ is stale (a removed placeholder). */
const GENERATED_LOOKUP = /^lookups\/entrawatch_[^/]+\.csv$/;

async function exists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch {
    return undefined;
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = join(d, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile()) out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  await walk(dir);
  return out.sort();
}

/** Paths whose checked-in content differs from the generated one, is missing, or should not exist. */
export async function findStaleFiles(appDir: string, files: Map<string, Buffer>): Promise<string[]> {
  const stale: string[] = [];
  for (const [path, content] of files) {
    const current = await exists(join(appDir, path));
    if (!current || !current.equals(content)) stale.push(path);
  }
  for (const path of await listFiles(appDir)) {
    if (GENERATED_LOOKUP.test(path) && !files.has(path)) stale.push(path);
  }
  return stale.sort();
}

/** Writes the generated files (only those that changed) and removes stale generated lookups. */
export async function writeGeneratedFiles(appDir: string, files: Map<string, Buffer>): Promise<string[]> {
  const changed = await findStaleFiles(appDir, files);
  for (const path of changed) {
    const full = join(appDir, path);
    const content = files.get(path);
    if (content === undefined) {
      await rm(full, { force: true });
    } else {
      await mkdir(dirname(full), { recursive: true });
      await writeFile(full, content);
    }
  }
  return changed;
}

/** Packages the app directory as <outDir>/entrawatch-<version>.spl; local/, local.meta and dotfiles are left out. */
export async function packageApp(appDir: string, outDir: string, version: string): Promise<string> {
  const entries: TarEntry[] = [];
  for (const path of await listFiles(appDir)) {
    const parts = path.split('/');
    if (parts.some((p) => p.startsWith('.')) || parts[0] === 'local' || path === 'metadata/local.meta') continue;
    const data = await readFile(join(appDir, path));
    entries.push({ path: `${APP_ID}/${path}`, data, mode: path.startsWith('bin/') ? 0o755 : 0o644 });
  }
  await mkdir(outDir, { recursive: true });
  const file = join(outDir, `${APP_ID}-${version}.spl`);
  await writeFile(file, tarGzip(entries));
  return file;
}

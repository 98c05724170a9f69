/**
 * Loads the Lua scripts of the Redis counter store from their files (src/state/redis/lua/<name>-<numKeys>.lua),
 * inlines `--!include <file>` lines, and computes each script's SHA1 for EVALSHA.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface LuaScript {
  name: string;
  numKeys: number;
  source: string;
  sha: string;
}

const LUA_DIR = join(dirname(fileURLToPath(import.meta.url)), 'lua');

function inline(source: string): string {
  return source.replace(/^--!include (\S+)\s*$/m, (_, file: string) => readFileSync(join(LUA_DIR, file), 'utf8'));
}

export function loadLuaScript(fileName: string): LuaScript {
  const m = /^(.+)-(\d+)\.lua$/.exec(fileName);
  if (!m) throw new Error(`Lua script file ${fileName} must be named <name>-<numKeys>.lua`);
  const source = inline(readFileSync(join(LUA_DIR, fileName), 'utf8'));
  return { name: m[1]!, numKeys: Number(m[2]), source, sha: createHash('sha1').update(source).digest('hex') };
}

export const COUNTER_SCRIPTS = {
  window: loadLuaScript('window-1.lua'),
  seriesAdd: loadLuaScript('series-add-1.lua'),
  seriesClose: loadLuaScript('series-close-1.lua'),
  novelty: loadLuaScript('novelty-1.lua'),
  suppress: loadLuaScript('suppress-1.lua'),
} as const;

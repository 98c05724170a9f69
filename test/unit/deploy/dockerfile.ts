/**
 * A small Dockerfile reader for the deploy tests: stages (FROM ... AS name) with their instructions, line
 * continuations joined and comments dropped, and the COPY instructions split into flags, sources and destination.
 */
import { readFileSync } from 'node:fs';

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  name?: string;
  base: string;
  instructions: Instruction[];
}

export interface CopyInstruction {
  from?: string;
  sources: string[];
  dest: string;
}

export function readDockerfile(path: string): Stage[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const logical: string[] = [];
  let current = '';
  for (const line of lines) {
    if (current === '' && /^\s*#/.test(line)) continue;
    if (/\\\s*$/.test(line)) {
      current += line.replace(/\\\s*$/, ' ');
      continue;
    }
    current += line;
    if (current.trim() !== '') logical.push(current.trim());
    current = '';
  }
  const stages: Stage[] = [];
  for (const line of logical) {
    const m = /^(\w+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const keyword = m[1]!.toUpperCase();
    const args = m[2]!;
    if (keyword === 'FROM') {
      const f = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(args)!;
      stages.push({ base: f[1]!, name: f[2], instructions: [] });
      continue;
    }
    stages.at(-1)?.instructions.push({ keyword, args });
  }
  return stages;
}

/** COPY args: `--from=x --chown=a:b src... dest` or the JSON array form */
export function parseCopy(args: string): CopyInstruction {
  const words = args.trim().startsWith('[') ? (JSON.parse(args) as string[]) : args.trim().split(/\s+/);
  let from: string | undefined;
  const rest: string[] = [];
  for (const w of words) {
    if (w.startsWith('--from=')) from = w.slice('--from='.length);
    else if (!w.startsWith('--')) rest.push(w);
  }
  return { from, sources: rest.slice(0, -1), dest: rest.at(-1)! };
}

/** JSON-array (exec form) or shell-form arguments of ENTRYPOINT / CMD / HEALTHCHECK CMD */
export function execArgs(args: string): string[] {
  const t = args.trim();
  return t.startsWith('[') ? (JSON.parse(t) as string[]) : ['/bin/sh', '-c', t];
}

/**
 * Loads Sigma rule files: files and directories (recursive, *.yml / *.yaml, in name order), multi-document
 * files; detection rules are compiled, correlation documents are returned as parsed YAML for the correlation
 * engine. The first invalid document stops loading with a RuleLoadError (file, rule, line, problem);
 * `lintRules` (lint.ts) collects every problem instead.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RuleLoadError } from '../errors.js';
import type { RawCorrelationDoc } from './sigma/ast.js';
import { compileSigmaRule, type CompiledRule, type CompileOptions } from './sigma/compile.js';
import { parseSigmaDocuments } from './sigma/parse.js';

export type { CompiledRule, CompileOptions } from './sigma/compile.js';

export interface LoadedRules {
  rules: CompiledRule[];
  correlations: RawCorrelationDoc[];
}

export type DocumentResult =
  | { type: 'rule'; rule: CompiledRule }
  | { type: 'correlation'; correlation: RawCorrelationDoc }
  | { type: 'error'; error: RuleLoadError };

/** Parses and compiles every document of a text; one result per document (errors included). */
export function compileRuleDocuments(text: string, file: string, options: CompileOptions): DocumentResult[] {
  return parseSigmaDocuments(text, file).map((doc): DocumentResult => {
    if (doc.type !== 'rule') return doc;
    try {
      return { type: 'rule', rule: compileSigmaRule(doc.rule, options) };
    } catch (err) {
      if (err instanceof RuleLoadError) return { type: 'error', error: err };
      throw err;
    }
  });
}

/** Parses and compiles the rules of one text (a file's content). Throws the first RuleLoadError. */
export function parseRuleText(text: string, file: string, options: CompileOptions): LoadedRules {
  const out: LoadedRules = { rules: [], correlations: [] };
  for (const r of compileRuleDocuments(text, file, options)) {
    if (r.type === 'error') throw r.error;
    if (r.type === 'rule') out.rules.push(r.rule);
    else out.correlations.push(r.correlation);
  }
  return out;
}

/** The rule files under the given files and directories (recursive), sorted, without duplicates. */
export async function listRuleFiles(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  const walk = async (path: string, explicit: boolean): Promise<void> => {
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new RuleLoadError(path, undefined, undefined, 'no such file or directory: check the rules path in the config or on the command line');
    }
    if (info.isDirectory()) {
      const entries = (await readdir(path)).sort();
      for (const e of entries) if (!e.startsWith('.')) await walk(join(path, e), false);
    } else if (explicit || /\.ya?ml$/i.test(path)) {
      files.push(path);
    }
  };
  for (const p of paths) await walk(p, true);
  return [...new Set(files)];
}

/** Loads rules from files and directories. Throws RuleLoadError on the first invalid document. */
export async function loadRuleFiles(paths: string[], options: CompileOptions): Promise<LoadedRules> {
  const out: LoadedRules = { rules: [], correlations: [] };
  for (const file of await listRuleFiles(paths)) {
    const loaded = parseRuleText(await readFile(file, 'utf8'), file, options);
    out.rules.push(...loaded.rules);
    out.correlations.push(...loaded.correlations);
  }
  return out;
}

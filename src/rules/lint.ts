/**
 * lintRules: every problem of a rule set, for `entrawatch rules lint`: load errors (all of them, not only the
 * first) and warnings (missing id, level or seed_rows; duplicate ids or names).
 */
import { readFile } from 'node:fs/promises';
import { RuleLoadError } from '../errors.js';
import { compileRuleDocuments, listRuleFiles, type CompileOptions } from './load.js';
import type { RuleMeta } from './types.js';

export interface LintProblem {
  severity: 'error' | 'warning';
  file: string;
  line?: number;
  rule?: string;
  problem: string;
}

export interface LintResult {
  problems: LintProblem[];
  rules: number;
  correlations: number;
}

/** Formats a problem as `file:line (rule "title"): severity: problem`. */
export function formatLintProblem(p: LintProblem): string {
  return `${p.file}${p.line !== undefined ? `:${p.line}` : ''}${p.rule ? ` (rule "${p.rule}")` : ''}: ${p.severity}: ${p.problem}`;
}

export async function lintRules(paths: string[], options: CompileOptions): Promise<LintResult> {
  const problems: LintProblem[] = [];
  const metas: Array<{ meta: RuleMeta; raw: Record<string, unknown>; correlation: boolean }> = [];
  let files: string[];
  try {
    files = await listRuleFiles(paths);
  } catch (err) {
    if (err instanceof RuleLoadError) return { problems: [{ severity: 'error', file: err.file, problem: err.problem }], rules: 0, correlations: 0 };
    throw err;
  }
  for (const file of files) {
    for (const r of compileRuleDocuments(await readFile(file, 'utf8'), file, options)) {
      if (r.type === 'error') {
        const p: LintProblem = { severity: 'error', file: r.error.file, problem: r.error.problem };
        if (r.error.line !== undefined) p.line = r.error.line;
        if (r.error.rule !== undefined) p.rule = r.error.rule;
        problems.push(p);
      } else if (r.type === 'rule') {
        metas.push({ meta: r.rule.meta, raw: r.rule.parsed.raw, correlation: false });
      } else {
        metas.push({ meta: r.correlation.meta, raw: r.correlation.raw, correlation: true });
      }
    }
  }
  const warn = (meta: RuleMeta, problem: string) =>
    problems.push({ severity: 'warning', file: meta.file, line: meta.line, rule: meta.title, problem });
  const ids = new Map<string, RuleMeta>();
  const names = new Map<string, RuleMeta>();
  for (const { meta, raw, correlation } of metas) {
    if (raw.id === undefined) warn(meta, 'id is missing: add a UUID (id:) so detections keep a stable id');
    if (raw.level === undefined) warn(meta, 'level is missing: medium is assumed');
    if (!correlation && meta.seedRows.length === 0 && raw.seed_rows === undefined) {
      warn(meta, 'seed_rows is missing: name the guide rows this rule implements (seed_rows: [CA-4]), or [] for none');
    }
    if (raw.id !== undefined) {
      const prev = ids.get(meta.id);
      if (prev) warn(meta, `duplicate id ${meta.id} (also ${prev.file}:${prev.line})`);
      else ids.set(meta.id, meta);
    }
    if (meta.name !== undefined) {
      const prev = names.get(meta.name);
      if (prev) warn(meta, `duplicate name ${meta.name} (also ${prev.file}:${prev.line})`);
      else names.set(meta.name, meta);
    }
  }
  const rules = metas.filter((m) => !m.correlation).length;
  return { problems, rules, correlations: metas.length - rules };
}

/**
 * `entrawatch rules list|lint|test`: show the loaded rules, lint rule files (exit 1 on errors), and run the rule
 * fixtures under test/fixtures/rules/<rule name>/ (exit 1 when one fails).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { readYamlFile } from '../config/load.js';
import { placeholdersSchema, type Placeholders } from '../config/rules-config.js';
import { loadRuleFiles } from '../rules/load.js';
import { formatLintProblem, lintRules } from '../rules/lint.js';
import { runRuleFixtures } from '../rules/fixtures.js';
import { packageRoot } from '../package-root.js';
import { UsageError } from './usage-error.js';

const DEFAULT_RULES = ['rules'];
const DEFAULT_FIXTURES = 'test/fixtures/rules';

interface CommonOptions {
  config?: string;
}

function placeholdersFrom(configPath: string | undefined): Placeholders {
  if (configPath === undefined) {
    // like scan: the local entrawatch.yaml, else the bundled example (its approved lists fill the guide rules)
    const fallback = ['entrawatch.yaml', join(packageRoot(), 'entrawatch.example.yaml')].find((p) => existsSync(p));
    return fallback ? placeholdersFrom(fallback) : {};
  }
  const parsed = placeholdersSchema.safeParse(readYamlFile(configPath)['placeholders'] ?? {});
  if (!parsed.success) throw new UsageError(`${configPath}: placeholders: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

function rulePaths(paths: string[]): string[] {
  const out = paths.length ? paths : DEFAULT_RULES;
  for (const p of out) if (!existsSync(p)) throw new UsageError(`no such rule file or directory: ${p}`);
  return out;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

export function registerRulesCommand(program: Command): void {
  const rules = program.command('rules').description('list, lint and test Sigma rules and correlations');

  rules
    .command('list')
    .description('list the rules: id, level, seed rows, title')
    .argument('[paths...]', 'rule files or directories (default: rules/)')
    .option('-c, --config <file>', 'entrawatch.yaml (its placeholders fill %name% in rules; default ./entrawatch.yaml, else the bundled example)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (paths: string[], opts: CommonOptions & { format: 'table' | 'json' }) => {
      const loaded = await loadRuleFiles(rulePaths(paths), { placeholders: placeholdersFrom(opts.config) });
      const rows = [
        ...loaded.rules.map((r) => ({ ...r.meta, type: 'rule' })),
        ...loaded.correlations.map((c) => ({ ...c.meta, type: String(c.correlation['type'] ?? 'correlation') })),
      ].map((m) => ({ id: m.id, name: m.name, type: m.type, level: m.level, seedRows: m.seedRows, title: m.title, file: m.file }));
      if (opts.format === 'json') {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const head = `${pad('ID', 38)}${pad('LEVEL', 15)}${pad('TYPE', 18)}${pad('SEED ROWS', 14)}TITLE`;
      const lines = rows.map((r) => `${pad(r.id, 38)}${pad(r.level, 15)}${pad(r.type, 18)}${pad(r.seedRows.join(',') || '-', 14)}${r.title}`);
      process.stdout.write(`${[head, ...lines].join('\n')}\n${rows.length} rules\n`);
    });

  rules
    .command('lint')
    .description('check rule files: every error (exit 1) and warning')
    .argument('[paths...]', 'rule files or directories (default: rules/)')
    .option('-c, --config <file>', 'entrawatch.yaml (its placeholders fill %name% in rules; default ./entrawatch.yaml, else the bundled example)')
    .action(async (paths: string[], opts: CommonOptions) => {
      const result = await lintRules(rulePaths(paths), { placeholders: placeholdersFrom(opts.config) });
      for (const p of result.problems) process.stdout.write(`${formatLintProblem(p)}\n`);
      const errors = result.problems.filter((p) => p.severity === 'error').length;
      const warnings = result.problems.length - errors;
      process.stdout.write(`${result.rules} rules, ${result.correlations} correlations: ${errors} errors, ${warnings} warnings\n`);
      if (errors > 0) process.exitCode = 1;
    });

  rules
    .command('test')
    .description('run rule fixtures: fire.ndjson must produce the rule, no-fire.ndjson must not')
    .argument('[paths...]', 'rule files or directories (default: rules/)')
    .option('-c, --config <file>', 'entrawatch.yaml (its placeholders fill %name% in rules; default ./entrawatch.yaml, else the bundled example)')
    .option('--fixtures <dir>', 'fixtures root with one directory per rule name', DEFAULT_FIXTURES)
    .option('--only <names...>', 'run only these fixtures (rule names)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (paths: string[], opts: CommonOptions & { fixtures: string; only?: string[]; format: 'table' | 'json' }) => {
      if (!existsSync(opts.fixtures)) throw new UsageError(`no such fixtures directory: ${opts.fixtures}`);
      const results = await runRuleFixtures({
        rulePaths: rulePaths(paths),
        fixturesDir: opts.fixtures,
        placeholders: placeholdersFrom(opts.config),
        ...(opts.only ? { only: opts.only } : {}),
      });
      const failed = results.filter((r) => !r.ok);
      if (opts.format === 'json') {
        const summary = results.map((r) => ({
          rule: r.rule,
          ok: r.ok,
          error: r.error,
          fire: r.fire && { ok: r.fire.ok, records: r.fire.records, detections: r.fire.detections.length },
          noFire: r.noFire && { ok: r.noFire.ok, records: r.noFire.records, detections: r.noFire.detections.length },
        }));
        process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      } else {
        for (const r of results) {
          const parts: string[] = [];
          if (r.fire) parts.push(`fire ${r.fire.detections.length} detection(s)${r.fire.ok ? '' : ' - expected at least 1'}`);
          if (r.noFire) parts.push(`no-fire ${r.noFire.detections.length}${r.noFire.ok ? '' : ' - expected none'}`);
          if (r.error) parts.push(r.error);
          process.stdout.write(`${r.ok ? 'PASS' : 'FAIL'}  ${pad(r.rule, 50)} ${parts.join('; ')}\n`);
        }
        process.stdout.write(`${results.length - failed.length} passed, ${failed.length} failed\n`);
      }
      if (failed.length > 0) process.exitCode = 1;
    });
}

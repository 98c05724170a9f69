/**
 * `entrawatch rules convert --to spl [paths...] [--config file]`: prints, per detection, the saved-search name and
 * its SPL (what the Splunk app schedules). Rules that SPL cannot express are listed on stderr (exit 1).
 * `addConvertSubcommand(rulesCommand)` adds `convert` under an existing `rules` command;
 * `registerConvertCommand(program)` adds a `rules` command with it when none exists.
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';
import { convertRulesToSpl, withFilterMacro } from '../rules/convert/spl/index.js';
import { savedSearchName } from '../splunk/names.js';
import { loadAppSources } from '../splunk/settings.js';
import { UsageError } from './usage-error.js';

interface ConvertOptions {
  to: string;
  config?: string;
}

export async function runConvert(paths: string[], opts: ConvertOptions, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  if (opts.to.toLowerCase() !== 'spl') throw new UsageError(`--to ${opts.to}: only spl is supported`);
  const config = opts.config ?? join(packageRoot(), 'entrawatch.example.yaml');
  const src = await loadAppSources(config, paths);
  const c = convertRulesToSpl({ rules: src.rules.rules, correlations: src.rules.correlations, placeholders: src.placeholders, overrides: src.rulesConfig.overrides });
  for (const d of c.detections) {
    out(`# ${savedSearchName(d.meta)}\n# ${d.type}; dispatch ${d.dispatchEarliest} .. ${d.dispatchLatest}${d.notes.length ? `; ${d.notes.join('; ')}` : ''}\n${withFilterMacro(d)}\n\n`);
  }
  for (const e of c.errors) err(`entrawatch: ${e.meta.file}: ${e.meta.title}: ${e.message}\n`);
  return c.errors.length > 0 ? 1 : 0;
}

export function addConvertSubcommand(rulesCommand: Command): void {
  rulesCommand
    .command('convert')
    .description('convert rules and correlations to Splunk SPL (the searches of the bundled Splunk app)')
    .argument('[paths...]', 'rule files or directories (default: rules.paths of the config)')
    .requiredOption('--to <language>', 'target query language: spl')
    .option('--config <file>', 'config with the placeholders and overrides (default: entrawatch.example.yaml)')
    .action(async (paths: string[], opts: ConvertOptions) => {
      process.exitCode = await runConvert(paths, opts, (s) => process.stdout.write(s), (s) => process.stderr.write(s));
    });
}

export function registerConvertCommand(program: Command): void {
  const existing = program.commands.find((c) => c.name() === 'rules');
  addConvertSubcommand(existing ?? program.command('rules').description('work with detection rules'));
}

/**
 * `entrawatch splunk-app build [--out dist] [--config entrawatch.example.yaml] [--app-dir splunk-app] [--check]`:
 * regenerates the generated parts of the Splunk app from the rules and the config, then writes
 * `<out>/entrawatch-<version>.spl`. `--check` writes nothing and exits 1 when a checked-in file is stale.
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import { packageRoot, packageVersion } from '../package-root.js';
import { generateAppFiles } from '../splunk/app-files.js';
import { findStaleFiles, packageApp, writeGeneratedFiles } from '../splunk/build.js';
import { loadAppSources } from '../splunk/settings.js';

interface BuildOptions {
  out: string;
  config?: string;
  appDir?: string;
  rules?: string[];
  check?: boolean;
}

export async function runSplunkAppBuild(opts: BuildOptions, print: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<number> {
  const root = packageRoot();
  const appDir = opts.appDir ?? join(root, 'splunk-app');
  const config = opts.config ?? join(root, 'entrawatch.example.yaml');
  const version = packageVersion();
  const sources = await loadAppSources(config, opts.rules);
  const { files, conversion } = generateAppFiles(sources, version);
  if (opts.check) {
    const stale = await findStaleFiles(appDir, files);
    if (stale.length > 0) {
      print(`splunk-app is stale (run: entrawatch splunk-app build): ${stale.join(', ')}`);
      return 1;
    }
    print(`splunk-app is up to date (${conversion.detections.length} saved searches)`);
    return 0;
  }
  const changed = await writeGeneratedFiles(appDir, files);
  const spl = await packageApp(appDir, opts.out, version);
  print(`${conversion.detections.length} saved searches, ${changed.length} generated file(s) updated; package: ${spl}`);
  return 0;
}

export function registerSplunkAppCommand(program: Command): void {
  const app = program.command('splunk-app').description('build the bundled Splunk app (saved searches, macros, lookups, dashboards)');
  app
    .command('build')
    .description('regenerate splunk-app/ from the rules and the config, then package dist/entrawatch-<version>.spl')
    .option('--out <dir>', 'output directory of the .spl package', 'dist')
    .option('--config <file>', 'config whose placeholders and rules settings fill the lookups and macros (default: entrawatch.example.yaml)')
    .option('--app-dir <dir>', 'the app directory (default: splunk-app/ of the package)')
    .option('--rules <paths...>', 'rule files or directories (default: rules.paths of the config)')
    .option('--check', 'write nothing; exit 1 when the checked-in generated files are stale')
    .action(async (opts: BuildOptions) => {
      process.exitCode = await runSplunkAppBuild(opts);
    });
}

/**
 * The entrawatch command line. Each command lives in its own module and registers itself here.
 * Exit codes: 0 ok, 1 failure (or --strict with bad records), 2 usage or configuration error, 3 a sink refused
 * the configuration (bad HEC token, missing index).
 */
import { Command, CommanderError } from 'commander';
import { ConfigError, EntrawatchError, RuleLoadError, SinkFatalError } from '../errors.js';
import { redactSecrets } from '../observability/logger.js';
import { packageVersion } from '../package-root.js';
import { UsageError } from './usage-error.js';

type Register = (program: Command) => void;

/**
 * The modules of each top-level command, in help order, imported only when needed: a run of one command loads
 * that command's dependencies alone (the worker does not load the bridge's AMQP client or the Splunk app builder,
 * about 9 MB of resident memory).
 */
const COMMANDS: ReadonlyArray<[name: string, load: () => Promise<Register[]>]> = [
  ['scan', async () => [(await import('./scan.js')).registerScanCommand]],
  ['rules', async () => [(await import('./rules.js')).registerRulesCommand, (await import('./convert.js')).registerConvertCommand]],
  ['splunk-app', async () => [(await import('./splunk-app.js')).registerSplunkAppCommand]],
  ['worker', async () => [(await import('./worker.js')).registerWorkerCommand]],
  ['bridge', async () => [(await import('./bridge.js')).registerBridgeCommand]],
  ['hec', async () => [(await import('./hec.js')).registerHecCommand]],
  ['replay', async () => [(await import('./replay.js')).registerReplayCommand]],
];

/**
 * The program with every command, or with `only` that one (a name of COMMANDS): help, version and unknown
 * commands need them all.
 */
export async function buildProgram(only?: string): Promise<Command> {
  const program = new Command('entrawatch')
    .description('Watch Microsoft Entra ID / Azure AD B2C logs: normalize to Splunk CIM, detect, forward to SIEMs')
    .version(packageVersion())
    .showHelpAfterError('(run entrawatch --help for usage)')
    .exitOverride();
  for (const [name, load] of COMMANDS) {
    if (only !== undefined && name !== only) continue;
    for (const register of await load()) register(program);
  }
  return program;
}

/** The command an argv runs (its first argument that is not an option), when it is one of COMMANDS. */
function commandOf(argv: string[]): string | undefined {
  const first = argv.slice(2).find((a) => !a.startsWith('-'));
  return COMMANDS.some(([name]) => name === first) ? first : undefined;
}

export async function runCli(argv: string[]): Promise<number> {
  const program = await buildProgram(commandOf(argv));
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors were already printed by commander
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof UsageError || err instanceof ConfigError || err instanceof RuleLoadError) {
      process.stderr.write(`entrawatch: ${redactSecrets(err.message)}\n`);
      return 2;
    }
    if (err instanceof SinkFatalError) {
      process.stderr.write(`entrawatch: ${redactSecrets(err.message)}\n`);
      return 3;
    }
    if (err instanceof EntrawatchError) {
      // a known failure (e.g. HEC unreachable at start): its message says what and where; no stack trace
      process.stderr.write(`entrawatch: ${redactSecrets(err.message)}\n`);
      return 1;
    }
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`entrawatch: unexpected error: ${redactSecrets(message)}\n`);
    return 1;
  }
}



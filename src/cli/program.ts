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
import { registerScanCommand } from './scan.js';
import { registerWorkerCommand } from './worker.js';
import { registerBridgeCommand } from './bridge.js';
import { registerHecCommand } from './hec.js';
import { registerReplayCommand } from './replay.js';
import { registerRulesCommand } from './rules.js';
import { registerConvertCommand } from './convert.js';
import { registerSplunkAppCommand } from './splunk-app.js';

export function buildProgram(): Command {
  const program = new Command('entrawatch')
    .description('Watch Microsoft Entra ID / Azure AD B2C logs: normalize to Splunk CIM, detect, forward to SIEMs')
    .version(packageVersion())
    .showHelpAfterError('(run entrawatch --help for usage)')
    .exitOverride();
  registerScanCommand(program);
  registerRulesCommand(program);
  registerConvertCommand(program);
  registerSplunkAppCommand(program);
  registerWorkerCommand(program);
  registerBridgeCommand(program);
  registerHecCommand(program);
  registerReplayCommand(program);
  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
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



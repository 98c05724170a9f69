/**
 * Child-process entry of the worker tests: `node --import tsx worker-child.ts worker --config FILE`, run exactly
 * like the `entrawatch worker` command, with the CLI's exit codes (3 for a fatal sink error, message on stderr).
 */
import { Command } from 'commander';
import { registerWorkerCommand } from '../../../src/cli/worker.js';
import { SinkFatalError } from '../../../src/errors.js';
import { redactSecrets } from '../../../src/observability/logger.js';

const program = new Command('entrawatch');
registerWorkerCommand(program);
try {
  await program.parseAsync(process.argv);
  process.exit(0);
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`entrawatch: ${redactSecrets(message)}\n`);
  process.exit(err instanceof SinkFatalError ? 3 : 1);
}

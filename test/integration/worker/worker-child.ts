/**
 * Child-process entry of the worker tests: `node --import tsx worker-child.ts worker --config FILE` runs the real
 * CLI (src/cli/program.ts, as bin/entrawatch.js does), so the tests see its exit codes and stderr exactly.
 */
import { runCli } from '../../../src/cli/program.js';

process.exitCode = await runCli(process.argv);

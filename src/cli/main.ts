#!/usr/bin/env node
/** Entry point of the entrawatch command line (see program.ts for the commands). */
import { runCli } from './program.js';

process.exitCode = await runCli(process.argv);

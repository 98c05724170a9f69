/**
 * The command line loads only the command that runs; help, version and unknown commands get every command.
 */
import { describe, expect, it } from 'vitest';
import { buildProgram, runCli } from '../../../src/cli/program.js';

const ALL = ['scan', 'rules', 'splunk-app', 'worker', 'bridge', 'hec', 'replay'];

describe('entrawatch program', () => {
  it('has every command, in help order, when built for help', async () => {
    expect((await buildProgram()).commands.map((c) => c.name())).toEqual(ALL);
    // convert is a subcommand of rules
    const rules = (await buildProgram('rules')).commands[0]!;
    expect(rules.commands.map((c) => c.name())).toContain('convert');
  });

  it('registers only the command an argv runs', async () => {
    for (const name of ALL) expect((await buildProgram(name)).commands.map((c) => c.name())).toEqual([name]);
  });

  it('still reports an unknown command with the usage exit code', async () => {
    const write = process.stderr.write;
    let printed = '';
    process.stderr.write = ((chunk: string) => ((printed += chunk), true)) as typeof process.stderr.write;
    try {
      expect(await runCli(['node', 'entrawatch', 'nope'])).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(printed).toMatch(/unknown command 'nope'/);
  });
});

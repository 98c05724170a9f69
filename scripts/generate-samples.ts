/**
 * `npm run samples` = `tsx scripts/generate-samples.ts [--seed N] [--out samples]`: writes a seeded day
 * (2026-11-02 UTC) of an Azure AD B2C tenant with every seed row of the security-operations guide planted
 * (a fire instance and a near miss each), plus the learning history, portal CSV and Graph JSON exports and
 * samples/manifest.json. The same seed always gives byte-identical files (no global random source, no clock).
 * `--scale` (default 1) shrinks the background volume, for tests.
 */
import { resolve } from 'node:path';
import { DEFAULT_SEED, generateSamples } from './samples/generate.js';
import { writeSamples } from './samples/write.js';

interface Args {
  seed: number;
  out: string;
  scale: number;
}

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: tsx scripts/generate-samples.ts [--seed N] [--out DIR] [--scale 0..1]\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): Args {
  const args: Args = { seed: DEFAULT_SEED, out: 'samples', scale: 1 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--help' || flag === '-h') usage('Generates the sample day of a B2C tenant.');
    if (value === undefined) usage(`${flag} needs a value`);
    i++;
    if (flag === '--seed') {
      if (!/^\d+$/.test(value) || Number(value) > 0xffffffff) usage('--seed must be an integer between 0 and 4294967295');
      args.seed = Number(value);
    } else if (flag === '--out') {
      args.out = value;
    } else if (flag === '--scale') {
      const n = Number(value);
      if (!(n > 0 && n <= 1)) usage('--scale must be a number in (0, 1]');
      args.scale = n;
    } else {
      usage(`unknown option ${flag}`);
    }
  }
  return args;
}

const args = parseArgs(process.argv.slice(2));
const { files, manifest } = generateSamples({ seed: args.seed, scale: args.scale });
const out = resolve(args.out);
const bytes = writeSamples(files, out);
const fire = manifest.scenarios.filter((s) => s.expect === 'fire').length;
process.stdout.write(
  `wrote ${files.size} files (${(bytes / 1e6).toFixed(1)} MB) to ${out}: ${manifest.records} records of ${manifest.day}, ` +
    `${manifest.scenarios.length} scenarios (${fire} fire, ${manifest.scenarios.length - fire} no-fire), seed ${manifest.seed}\n`,
);

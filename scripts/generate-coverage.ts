/**
 * Generates docs/coverage.md from rules/: for every row of the security-operations guide (seed rows CA, PA, AP,
 * IN, BL), the rules that implement it, their level, the Splunk saved-search name and the fixture directories
 * that test them. Run: `npx tsx scripts/generate-coverage.ts` (writes docs/coverage.md); a unit test regenerates it
 * in memory and fails when the checked-in file is stale.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSigmaDocuments } from '../src/rules/sigma/parse.js';
import type { RuleMeta } from '../src/rules/types.js';
import { savedSearchName } from '../src/splunk/names.js';

/** The guide's rows (reference/seed-rows.md) with a short text. */
export const SEED_ROWS: ReadonlyArray<readonly [string, string]> = [
  ['CA-1', 'Large number of account creations or deletions'],
  ['CA-2', 'Accounts created or deleted by non-approved users or processes'],
  ['CA-3', 'Accounts assigned to a privileged role'],
  ['CA-4', 'Failed sign-in attempts (50126)'],
  ['CA-5', 'Smart lock-out events (50053)'],
  ['CA-6', "Failed authentications from countries you don't operate from"],
  ['CA-7', 'Increased failed authentications (+10 %)'],
  ['CA-8', 'Account disabled / blocked for sign-ins (50057)'],
  ['CA-9', 'Measurable increase of successful sign-ins (+10 %)'],
  ['PA-1', 'Sign-in failure, bad password threshold'],
  ['PA-2', 'Failure because of a Conditional Access requirement (53003)'],
  ['PA-3', 'Interrupt: password right, MFA not passed'],
  ['PA-4', 'Account lockout (50053)'],
  ['PA-5', 'Account disabled or blocked for sign-ins (50057)'],
  ['PA-6', 'MFA fraud alert or block (sign-in)'],
  ['PA-7', 'MFA fraud alert or block (audit)'],
  ['PA-8', 'Privileged account sign-ins outside of expected controls'],
  ['PA-9', 'Outside of normal sign-in times'],
  ['PA-10', 'Password change of an admin account'],
  ['PA-11', 'Changes to authentication methods'],
  ['PA-12', 'Identity provider updated by non-approved actors'],
  ['PA-13', 'Identity provider deleted by non-approved actors'],
  ['AP-1', 'Added credentials to applications'],
  ['AP-2', 'App assigned to an Azure RBAC role or Entra role'],
  ['AP-3', 'App granted highly privileged permissions'],
  ['AP-4', 'Administrator granting application permissions'],
  ['AP-5', 'App granted permissions for Graph, Exchange, SharePoint or Entra ID'],
  ['AP-6', 'Highly privileged delegated permissions granted for all users'],
  ['AP-7', 'Applications using the ROPC flow'],
  ['AP-8', 'Dangling URI'],
  ['AP-9', 'Redirect URI changes'],
  ['AP-10', 'Changes to AppID URI'],
  ['AP-11', 'Changes to application ownership'],
  ['AP-12', 'Changes to sign-out URL'],
  ['IN-1', 'Conditional Access policy created'],
  ['IN-2', 'Conditional Access policy removed'],
  ['IN-3', 'Conditional Access policy updated'],
  ['IN-4', 'B2C custom policy created'],
  ['IN-5', 'B2C custom policy updated'],
  ['IN-6', 'B2C custom policy deleted'],
  ['IN-7', 'User flow created'],
  ['IN-8', 'User flow updated'],
  ['IN-9', 'User flow deleted'],
  ['IN-10', 'API connector created'],
  ['IN-11', 'API connector updated'],
  ['IN-12', 'API connector deleted'],
  ['IN-13', 'Identity provider created'],
  ['IN-14', 'Identity provider updated'],
  ['IN-15', 'Identity provider deleted'],
  ['BL-1', 'Consumer accounts missing standard attributes or naming conventions'],
  ['BL-2', 'Accounts created outside approved sources'],
  ['BL-3', 'Accounts of organizations outside the collaboration list'],
  ['BL-4', 'Accounts changed by an unapproved consumer-account administrator'],
];

export interface CoverageRule {
  meta: RuleMeta;
  /** correlation type, or undefined for a detection rule */
  correlationType?: string;
  /** rules referenced (correlations) */
  references: string[];
  /** Sigma generate semantics: does the rule emit detections of its own? */
  emits: boolean;
  /** names of the correlations that consume the rule */
  feeds: string[];
}

/** Every rule and correlation document under the rules directory (sorted by file), with generate semantics. */
export function readCoverageRules(rulesDir: string): CoverageRule[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (/\.ya?ml$/i.test(e.name)) files.push(join(dir, e.name));
    }
  };
  walk(rulesDir);
  const rules: CoverageRule[] = [];
  const generateOf = new Map<CoverageRule, boolean | undefined>();
  for (const file of files) {
    for (const doc of parseSigmaDocuments(readFileSync(file, 'utf8'), file)) {
      if (doc.type === 'error') throw doc.error;
      if (doc.type === 'rule') {
        const r: CoverageRule = { meta: doc.rule.meta, references: [], emits: true, feeds: [] };
        const own = doc.rule.raw['generate'];
        generateOf.set(r, typeof own === 'boolean' ? own : undefined);
        rules.push(r);
      } else {
        const c = doc.correlation.correlation;
        const refs = Array.isArray(c['rules']) ? c['rules'].map(String) : typeof c['rules'] === 'string' ? [c['rules']] : [];
        const r: CoverageRule = {
          meta: doc.correlation.meta,
          correlationType: String(c['type']),
          references: refs,
          emits: true,
          feeds: [],
        };
        generateOf.set(r, c['generate'] === true);
        rules.push(r);
      }
    }
  }
  const byRef = (ref: string) => rules.find((r) => r.meta.name === ref || r.meta.id === ref);
  for (const c of rules.filter((r) => r.correlationType)) {
    for (const ref of c.references) byRef(ref)?.feeds.push(c.meta.name ?? c.meta.id);
  }
  for (const r of rules) {
    if (r.feeds.length === 0) continue;
    const consumers = r.feeds.map((n) => byRef(n)!);
    const own = r.correlationType ? undefined : generateOf.get(r);
    r.emits = own === true || (own !== false && consumers.some((c) => generateOf.get(c) === true));
  }
  return rules;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

export function renderCoverage(rulesDir: string, fixturesDir: string, repoRoot: string): string {
  const rules = readCoverageRules(rulesDir);
  const fixtureDirs = existsSync(fixturesDir)
    ? new Set(readdirSync(fixturesDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name))
    : new Set<string>();
  const lines: string[] = [
    '# Coverage of the security-operations guide',
    '',
    '<!-- generated by scripts/generate-coverage.ts from rules/: do not edit; run `npx tsx scripts/generate-coverage.ts` -->',
    '',
    'Every row of Microsoft\'s "Microsoft Entra security operations for consumer accounts" (seed rows CA, PA, AP, IN',
    'and the "Define a baseline" items BL) and the rules that implement it. Rules marked *feeds* do not alert on',
    'their own: they are counted by the correlation named. The Splunk saved search carries the same detection in the',
    'bundled app; the fixtures (`fire.ndjson` must alert, `no-fire.ndjson` is the near miss) live under',
    `\`${relative(repoRoot, fixturesDir)}/<rule name>/\`.`,
    '',
  ];
  const covered = SEED_ROWS.filter(([id]) => rules.some((r) => r.meta.seedRows.includes(id))).length;
  const alerting = rules.filter((r) => r.emits);
  lines.push(
    `Rows covered: **${covered} / ${SEED_ROWS.length}**. Documents: ${rules.length} (${rules.filter((r) => !r.correlationType).length} rules, ` +
      `${rules.filter((r) => r.correlationType).length} correlations), of which ${alerting.length} alert.`,
    '',
    '| row | what to monitor | rule (name) | type | level | Splunk saved search | fixtures |',
    '|---|---|---|---|---|---|---|',
  );
  for (const [id, text] of SEED_ROWS) {
    const mine = rules.filter((r) => r.meta.seedRows.includes(id));
    if (mine.length === 0) {
      lines.push(`| ${id} | ${cell(text)} | **not covered** | | | | |`);
      continue;
    }
    mine.forEach((r, i) => {
      const name = r.meta.name ?? r.meta.id;
      const type = r.correlationType ?? 'rule';
      const kind = r.emits ? type : `${type}, feeds ${r.feeds.map((f) => `\`${f}\``).join(', ')}`;
      const search = r.emits ? cell(savedSearchName(r.meta)) : '-';
      const fixtures = fixtureDirs.has(name)
        ? `[${name}](../${relative(repoRoot, join(fixturesDir, name))}/)`
        : r.emits
          ? '**missing**'
          : `via ${r.feeds.map((f) => `\`${f}\``).join(', ')}`;
      lines.push(
        `| ${i === 0 ? id : ''} | ${i === 0 ? cell(text) : ''} | ${cell(r.meta.title)} (\`${name}\`) | ${kind} | ${r.meta.level} | ${search} | ${fixtures} |`,
      );
    });
  }
  lines.push('', '## Rule files', '');
  const files = [...new Set(rules.map((r) => relative(repoRoot, r.meta.file)))];
  for (const f of files) {
    const names = rules.filter((r) => relative(repoRoot, r.meta.file) === f).map((r) => `\`${r.meta.name ?? r.meta.id}\``);
    lines.push(`- [${f}](../${f}): ${names.join(', ')}`);
  }
  lines.push('');
  return lines.join('\n');
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const root = join(fileURLToPath(import.meta.url), '../..');
  const text = renderCoverage(join(root, 'rules'), join(root, 'test/fixtures/rules'), root);
  writeFileSync(join(root, 'docs/coverage.md'), text);
  process.stdout.write(`wrote docs/coverage.md\n`);
}

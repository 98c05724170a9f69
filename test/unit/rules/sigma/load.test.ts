import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RuleLoadError } from '../../../../src/errors.js';
import { lintRules } from '../../../../src/rules/lint.js';
import { loadRuleFiles, parseRuleText } from '../../../../src/rules/load.js';
import { signinEvent } from './events.js';

const opts = { placeholders: {} };

function loadError(text: string): RuleLoadError {
  try {
    parseRuleText(text, 'rules/bad.yml', opts);
  } catch (err) {
    if (err instanceof RuleLoadError) return err;
    throw err;
  }
  throw new Error('expected a RuleLoadError');
}

const HEAD = `title: Bad rule
id: 0b0b0b0b-0000-4000-8000-000000000001
logsource: {product: azure, service: signinlogs}
`;

describe('load errors name file, rule, line and problem', () => {
  it('unknown selection in the condition', () => {
    const e = loadError(`${HEAD}detection:
  selection:
    ResultType: 50053
  condition: selection and not filter
`);
    expect(e.file).toBe('rules/bad.yml');
    expect(e.rule).toBe('Bad rule');
    expect(e.line).toBe(7);
    expect(e.message).toMatch(/rules\/bad\.yml:7 \(rule "Bad rule"\): .*"filter", which is not a selection/);
  });

  it('an of-pattern that matches nothing', () => {
    expect(loadError(`${HEAD}detection:
  selection:
    ResultType: 50053
  condition: 1 of filter_*
`).message).toMatch(/matches no selection/);
  });

  it('unknown modifier, with its line', () => {
    const e = loadError(`${HEAD}detection:
  selection:
    ResultType: 50053
    Username|containz: bob
  condition: selection
`);
    expect(e.line).toBe(7);
    expect(e.problem).toMatch(/unknown modifier "containz"/);
  });

  it('modifiers that do not combine', () => {
    expect(loadError(`${HEAD}detection:
  selection:
    Username|contains|startswith: bob
  condition: selection
`).problem).toMatch(/only one of contains, startswith, endswith/);
    expect(loadError(`${HEAD}detection:
  selection:
    Username|i: bob
  condition: selection
`).problem).toMatch(/flag of "re"/);
    expect(loadError(`${HEAD}detection:
  selection:
    Username|exists: maybe
  condition: selection
`).problem).toMatch(/exists takes true or false/);
  });

  it('bad regex', () => {
    const e = loadError(`${HEAD}detection:
  selection:
    Username|re: '^(adm'
  condition: selection
`);
    expect(e.line).toBe(6);
    expect(e.problem).toMatch(/bad regular expression \/\^\(adm\//);
  });

  it('bad cidr', () => {
    expect(loadError(`${HEAD}detection:
  selection:
    IPAddress|cidr: 10.0.0/8
  condition: selection
`).problem).toMatch(/not a valid CIDR/);
  });

  it('a field that names no key (fields., .)', () => {
    for (const field of ['fields.', 'cim.', '.']) {
      const e = loadError(`${HEAD}detection:
  selection:
    '${field}': x
  condition: selection
`);
      expect(e.problem).toMatch(/names no key/);
      expect(e.line).toBe(6);
    }
  });

  it('empty detection, empty selection, missing condition', () => {
    expect(loadError(`${HEAD}detection:
  condition: selection
`).problem).toMatch(/no selection/);
    expect(loadError(`${HEAD}detection:
  selection:
  condition: selection
`).problem).toMatch(/selection "selection" is empty/);
    expect(loadError(`${HEAD}detection:
  selection:
    ResultType: 50053
`).problem).toMatch(/condition is missing/);
    expect(loadError(`${HEAD}detection:
  selection:
    ResultType: []
  condition: selection
`).problem).toMatch(/list of values is empty/);
  });

  it('missing title or logsource, bad level, invalid YAML', () => {
    expect(loadError(`logsource: {product: azure}\ndetection: {sel: {a: 1}, condition: sel}\n`).problem).toMatch(/title is missing/);
    expect(loadError(`title: t\ndetection: {sel: {a: 1}, condition: sel}\n`).problem).toMatch(/logsource is missing/);
    expect(loadError(`${HEAD}level: urgent\ndetection: {sel: {a: 1}, condition: sel}\n`).problem).toMatch(/level "urgent"/);
    const yamlError = loadError(`${HEAD}detection:\n  sel: {a: 1\n  condition: sel\n`);
    expect(yamlError.problem).toMatch(/invalid YAML/);
    expect(yamlError.line).toBeGreaterThanOrEqual(5);
  });

  it('errors in a later document carry that document line', () => {
    const text = `title: ok
logsource: {product: azure}
detection: {sel: {ResultType: 1}, condition: sel}
---
title: second
logsource: {product: azure}
detection:
  sel:
    ResultType|bogus: 1
  condition: sel
`;
    const e = loadError(text);
    expect(e.rule).toBe('second');
    expect(e.line).toBe(9);
  });
});

describe('documents and metadata', () => {
  it('multi-document files: rules and correlations; extra keys accepted', () => {
    const loaded = parseRuleText(
      `title: Account locked
id: 11111111-0000-4000-8000-000000000001
name: account_locked
seed_rows: [CA-4, CA-5]
suppress: 1h
generate: true
status: test
description: lockout
references: [https://example.org]
falsepositives: Users who forget their password
tags: [attack.credential-access, attack.t1110]
logsource: {product: azure, service: signinlogs}
detection:
  selection:
    ResultType: 50053
  condition: selection
level: high
---
title: Many lockouts
id: 11111111-0000-4000-8000-000000000002
name: many_lockouts
correlation:
  type: event_count
  rules: [account_locked]
  group-by: [IPAddress]
  timespan: 10m
  condition: {gte: 10}
level: critical
`,
      'x.yml',
      opts,
    );
    expect(loadedSummary(loaded)).toEqual({ rules: 1, correlations: 1 });
    const meta = loaded.rules[0].meta;
    expect(meta).toMatchObject({
      id: '11111111-0000-4000-8000-000000000001',
      name: 'account_locked',
      title: 'Account locked',
      level: 'high',
      status: 'test',
      seedRows: ['CA-4', 'CA-5'],
      falsepositives: ['Users who forget their password'],
      references: ['https://example.org'],
      tags: ['attack.credential-access', 'attack.t1110'],
      logsource: { product: 'azure', service: 'signinlogs' },
      file: 'x.yml',
      line: 1,
    });
    expect(loaded.rules[0].parsed.raw.suppress).toBe('1h');
    expect(loaded.rules[0].parsed.raw.generate).toBe(true);
    const corr = loaded.correlations[0];
    expect(corr.meta).toMatchObject({ name: 'many_lockouts', level: 'critical', line: 19 });
    expect(corr.correlation).toMatchObject({ type: 'event_count', rules: ['account_locked'], timespan: '10m' });
    expect(loaded.rules[0].match(signinEvent({ errorCode: 50053 }))).toBe(true);
  });

  it('loads files and directories recursively (*.yml, *.yaml)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ew-rules-'));
    await mkdir(join(dir, 'sub'));
    const rule = (t: string) => `title: ${t}\nlogsource: {product: azure}\ndetection: {sel: {ResultType: 1}, condition: sel}\n`;
    await writeFile(join(dir, 'a.yml'), rule('a'));
    await writeFile(join(dir, 'sub', 'b.yaml'), rule('b'));
    await writeFile(join(dir, 'notes.txt'), 'not a rule');
    const loaded = await loadRuleFiles([dir], opts);
    expect(loaded.rules.map((r) => r.meta.title)).toEqual(['a', 'b']);
    await expect(loadRuleFiles([join(dir, 'missing')], opts)).rejects.toThrow(/no such file/);
  });
});

function loadedSummary(l: { rules: unknown[]; correlations: unknown[] }) {
  return { rules: l.rules.length, correlations: l.correlations.length };
}

describe('lintRules', () => {
  it('reports every load error and the warnings', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ew-lint-'));
    await writeFile(
      join(dir, 'rules.yml'),
      `title: No id
logsource: {product: azure}
detection: {sel: {ResultType: 1}, condition: sel}
---
title: Broken
id: 22222222-0000-4000-8000-000000000001
logsource: {product: azure}
detection: {sel: {ResultType|nope: 1}, condition: sel}
---
title: Dup A
id: 22222222-0000-4000-8000-000000000002
name: dup
seed_rows: []
level: low
logsource: {product: azure}
detection: {sel: {ResultType: 1}, condition: sel}
---
title: Dup B
id: 22222222-0000-4000-8000-000000000002
name: dup
seed_rows: [CA-1]
level: low
logsource: {product: azure}
detection: {sel: {ResultType: 1}, condition: sel}
`,
    );
    const result = await lintRules([dir], opts);
    const text = result.problems.map((p) => `${p.severity} ${p.rule}: ${p.problem}`);
    expect(result.rules).toBe(3);
    expect(text).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^error Broken: .*unknown modifier "nope"/),
        expect.stringMatching(/^warning No id: id is missing/),
        expect.stringMatching(/^warning No id: level is missing/),
        expect.stringMatching(/^warning No id: seed_rows is missing/),
        expect.stringMatching(/^warning Dup B: duplicate id/),
        expect.stringMatching(/^warning Dup B: duplicate name dup/),
      ]),
    );
    expect(text.filter((t) => t.includes('Dup A'))).toEqual([]);
  });
});

/**
 * Every rule fixture through the real loader, normalizer, enrichers and RuleEngine: fire.ndjson must give at
 * least one detection of its rule, no-fire.ndjson (the near miss) none of it.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR, runFixtureFile } from './support/run-fixture.js';

const names = readdirSync(FIXTURES_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

describe('rule fixtures', () => {
  it('exist', () => {
    expect(names.length).toBeGreaterThan(50);
  });

  for (const name of names) {
    describe(name, () => {
      it('fire.ndjson produces a detection of the rule', async () => {
        const { all, mine } = await runFixtureFile(name, 'fire.ndjson');
        expect(mine.length, `detections of other rules: ${all.map((d) => d.rule.name).join(', ')}`).toBeGreaterThan(0);
        for (const d of mine) {
          expect(d.evidence.eventIds.length).toBeGreaterThan(0);
          expect(d.rule.seedRows.length).toBeGreaterThan(0);
        }
      });
      it('no-fire.ndjson (near miss) produces none', async () => {
        const { mine } = await runFixtureFile(name, 'no-fire.ndjson');
        expect(mine.map((d) => d.evidence)).toEqual([]);
      });
    });
  }
});

describe('what the detections of the guide rules carry', () => {
  it('IN-3 and AP-9 show the old and new values of the modified properties', async () => {
    const in3 = (await runFixtureFile('in3_conditional_access_policy_updated', 'fire.ndjson')).mine[0]!;
    expect(in3.evidence.changes?.[0]).toMatchObject({ property: 'ConditionalAccessPolicy' });
    expect(JSON.stringify(in3.evidence.changes)).toContain('enabled');
    expect(JSON.stringify(in3.evidence.changes)).toContain('disabled');
    const ap9 = (await runFixtureFile('ap9_risky_redirect_uri_added', 'fire.ndjson')).mine[0]!;
    expect(ap9.evidence.changes?.map((c) => c.property)).toContain('AppAddress');
    expect(JSON.stringify(ap9.evidence.changes)).toContain('http://login.evil-example.net/callback');
  });

  it('AP-8 names the dangling host found in DNS', async () => {
    const [d] = (await runFixtureFile('ap8_dangling_redirect_uri', 'fire.ndjson')).mine;
    expect(d?.evidence.values).toMatchObject({ dns_status: 'nxdomain', dangling_hosts: ['promo-2019.contoso-campaign.invalid'] });
  });

  it('"many accounts" correlations are high, isolated ones medium (CA-4, CA-5)', async () => {
    const one = (await runFixtureFile('ca4_failed_signins_one_account', 'fire.ndjson')).mine[0]!;
    const many = (await runFixtureFile('ca4_failed_signins_many_accounts', 'fire.ndjson')).mine[0]!;
    expect([one.rule.level, many.rule.level]).toEqual(['medium', 'high']);
    expect(many.group).toEqual({ 'properties.appDisplayName': 'ProxyIdentityExperienceFramework' });
    const lockouts = (await runFixtureFile('ca5_smart_lockout_many_accounts', 'fire.ndjson')).all;
    // generate: true keeps the single-lockout alert (medium) next to the many-accounts one (high)
    expect(lockouts.some((d) => d.rule.name === 'ca5_smart_lockout_b2c_app' && d.rule.level === 'medium')).toBe(true);
  });

  it('PA-8 evidence comes with the CIM user of the privileged account', async () => {
    const [d] = (await runFixtureFile('pa8_privileged_signin_outside_controls', 'fire.ndjson')).mine;
    expect(d?.cim.user).toBe('it-admin@contosob2c.onmicrosoft.com');
  });
});

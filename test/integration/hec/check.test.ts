/**
 * `entrawatch hec check` and checkHec against the HEC receiver: a good setup passes; a bad token, a refused index,
 * an ack mismatch and an unreachable URL each fail with exit 1 and a message saying what to do; the token is
 * never printed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerHecCommand, runHecCheck, type HecCheckCliOptions } from '../../../src/cli/hec.js';
import { checkHec } from '../../../src/sinks/hec/check.js';
import { startHecReceiver, type HecReceiver } from '../../support/hec-receiver/index.js';

const TOKEN = 'c0ffee00-1111-2222-3333-444455556666';
const NOACK = 'c0ffee00-9999-2222-3333-444455556666';
let r: HecReceiver;
let dir: string;

beforeAll(async () => {
  r = await startHecReceiver({
    tokens: [
      { token: TOKEN, useAck: true, allowedIndexes: ['entra', 'alerts'] },
      { token: NOACK, useAck: false },
    ],
  });
  dir = mkdtempSync(join(tmpdir(), 'hec-check-'));
  writeFileSync(join(dir, 'token'), `${TOKEN}\n`);
  writeFileSync(join(dir, 'noack'), `${NOACK}\n`);
  writeFileSync(join(dir, 'bad'), 'deadbeef-0000-0000-0000-000000000000\n');
});
afterAll(() => r.close());

async function run(o: HecCheckCliOptions): Promise<{ code: number; text: string }> {
  let text = '';
  const out = new Writable({
    write(c: Buffer, _e, cb) {
      text += c.toString();
      cb();
    },
  });
  const code = await runHecCheck(o, out);
  return { code, text };
}

describe('hec check', () => {
  it('passes for a reachable, healthy HEC with a valid token, acks on and allowed indexes', async () => {
    const { code, text } = await run({ url: [r.url], tokenFile: join(dir, 'token'), index: 'entra', detectionIndex: 'alerts' });
    expect(code).toBe(0);
    expect(text).toContain('reachable  yes (plain http)');
    expect(text).toContain('HEC 200 code 17: HEC is healthy');
    expect(text).toContain('token      valid');
    expect(text).toContain('acks       on for this token (sinks.hec.useAck: true)');
    expect(text).toContain('index      entra: OK');
    expect(text).toContain('index      alerts: OK');
    expect(text).toContain('result: OK');
    expect(text).not.toContain(TOKEN);
    const probes = r.events().filter((e) => e.sourcetype === 'entrawatch:probe');
    expect(probes.map((e) => e.index).sort()).toEqual(['alerts', 'entra']);
  });

  it('fails with code 4 and what to do for a bad token', async () => {
    const { code, text } = await run({ url: [r.url], tokenFile: join(dir, 'bad') });
    expect(code).toBe(1);
    expect(text).toContain('token      REFUSED');
    expect(text).toMatch(/HEC token is invalid \(code 4\): check sinks.hec.token/);
    expect(text).not.toContain('deadbeef-0000');
  });

  it('fails for an index the token may not use (code 7)', async () => {
    const { code, text } = await run({ url: [r.url], tokenFile: join(dir, 'token'), index: 'secret' });
    expect(code).toBe(1);
    expect(text).toMatch(/index      secret: REFUSED \(HEC 400 code 7: Incorrect index\)/);
  });

  it('reports an ack mismatch both ways', async () => {
    const a = await run({ url: [r.url], tokenFile: join(dir, 'noack') });
    expect(a.code).toBe(1);
    expect(a.text).toMatch(/indexer acknowledgment off but sinks.hec.useAck is true/);
    const b = await run({ url: [r.url], tokenFile: join(dir, 'noack'), ack: false, probeEvent: false });
    expect(b.code).toBe(0);
  });

  it('fails for an unreachable URL and an unhealthy HEC', async () => {
    const dead = await startHecReceiver({ tokens: [] });
    await dead.close();
    const a = await run({ url: [dead.url], tokenFile: join(dir, 'token') });
    expect(a.code).toBe(1);
    expect(a.text).toMatch(/unreachable: .*ECONNREFUSED/);
    await r.faults.set({ unhealthy: true });
    try {
      const report = await checkHec({ urls: [r.url], token: TOKEN });
      expect(report.ok).toBe(false);
      expect(report.problems[0]).toMatch(/unhealthy: HEC 503 code 18/);
    } finally {
      await r.faults.clear();
    }
  });

  it('reads sinks.hec from --config, through commander', async () => {
    const file = join(dir, 'entrawatch.yaml');
    writeFileSync(file, `sinks:\n  hec:\n    urls: [${r.url}]\n    tokenFile: ${join(dir, 'token')}\n    index: entra\n`);
    const program = new Command('entrawatch').exitOverride();
    registerHecCommand(program);
    const write = process.stdout.write;
    let text = '';
    process.stdout.write = ((c: string) => {
      text += c;
      return true;
    }) as typeof process.stdout.write;
    try {
      await program.parseAsync(['node', 'entrawatch', 'hec', 'check', '--config', file, '--json']);
    } finally {
      process.stdout.write = write;
    }
    const report = JSON.parse(text) as { ok: boolean; urls: Array<{ indexes: Array<{ index: string }> }> };
    expect(report.ok).toBe(true);
    expect(report.urls[0].indexes.map((i) => i.index)).toEqual(['entra']);
    expect(process.exitCode).toBe(0);
    process.exitCode = undefined;
  });
});

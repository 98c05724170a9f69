/** sinks.hec config: defaults, and errors that name the key and the fix without quoting the token. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src/errors.js';
import { readHecToken, validateHecSinkConfig } from '../../../../src/sinks/hec/config.js';

const SECRET = '9b1c2d3e-aaaa-bbbb-cccc-0123456789ab';

function problem(input: unknown): ConfigError {
  try {
    validateHecSinkConfig(input);
  } catch (err) {
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('validateHecSinkConfig', () => {
  it('fills the documented defaults', () => {
    const c = validateHecSinkConfig({ urls: ['https://splunk.example.com:8088'], token: SECRET });
    expect(c).toMatchObject({
      sourcetype: 'azure:monitor:aad',
      detectionSourcetype: 'entrawatch:detection',
      useAck: true,
      ackPollIntervalMs: 1_000,
      ackTimeoutMs: 300_000,
      gzip: true,
      batch: { maxBytes: 1_000_000 },
      tls: { rejectUnauthorized: true },
      indexedFields: [],
    });
  });
  it('names the key and the fix', () => {
    expect(problem({ urls: ['ftp://x'], token: SECRET })).toMatchObject({ key: 'sinks.hec.urls.0' });
    expect(problem({ urls: ['ftp://x'], token: SECRET }).message).toMatch(/http\(s\) URL such as https:\/\//);
    expect(problem({ urls: [], token: SECRET }).message).toMatch(/at least one HEC URL/);
    expect(problem({ urls: ['https://x'] }).message).toMatch(/sinks.hec.token: is missing: set token .* or tokenFile/);
    expect(problem({ urls: ['https://x'], token: SECRET, tokenFile: '/t' }).key).toBe('sinks.hec.tokenFile');
    expect(problem({ urls: ['https://x'], token: SECRET, batch: { maxBytes: 0 } }).key).toBe('sinks.hec.batch.maxBytes');
    expect(problem({ urls: ['https://x'], token: SECRET, ackTimeoutMs: 1000, ackPollIntervalMs: 5000 }).message).toMatch(
      /ackTimeoutMs: must be longer than ackPollIntervalMs/,
    );
    expect(problem({ urls: ['https://x'], token: SECRET, uesAck: true }).message).toMatch(/unknown key\(s\) uesAck/);
  });
  it('never quotes the token, even when it is the wrong type or elsewhere wrong', () => {
    for (const input of [
      { urls: ['nope'], token: SECRET },
      { urls: ['https://x'], token: SECRET, gzip: 'yes' },
      { urls: [SECRET], token: 12 },
    ]) {
      const e = problem(input);
      expect(e).toBeInstanceOf(ConfigError);
      expect(e.message).not.toContain(SECRET);
    }
  });
  it('is idempotent on an already validated config', () => {
    const c = validateHecSinkConfig({ urls: ['https://x:8088'], token: SECRET, gzip: false });
    expect(validateHecSinkConfig(c)).toEqual(c);
  });
});

describe('readHecToken', () => {
  it('reads the first line of tokenFile, trimmed; explains an unreadable or empty file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hec-token-'));
    writeFileSync(join(dir, 't'), `  ${SECRET}  \nignored\n`);
    writeFileSync(join(dir, 'empty'), '\n');
    expect(await readHecToken({ tokenFile: join(dir, 't') })).toBe(SECRET);
    await expect(readHecToken({ tokenFile: join(dir, 'missing') })).rejects.toThrow(/tokenFile: cannot read .*ENOENT/);
    await expect(readHecToken({ tokenFile: join(dir, 'empty') })).rejects.toThrow(/is empty: write the HEC token/);
  });
});

describe('environment overrides (strings)', () => {
  it('accepts numbers, flags and comma-separated lists given as strings', () => {
    const c = validateHecSinkConfig({
      urls: 'https://a:8088, https://b:8088',
      token: SECRET,
      gzip: 'false',
      maxInFlightRequests: '8',
      indexedFields: 'user,src_ip',
    });
    expect(c).toMatchObject({ urls: ['https://a:8088', 'https://b:8088'], gzip: false, maxInFlightRequests: 8, indexedFields: ['user', 'src_ip'] });
    expect(problem({ urls: ['https://x'], token: SECRET, gzip: 'nah' }).message).toMatch(/sinks.hec.gzip: must be true or false/);
  });
});

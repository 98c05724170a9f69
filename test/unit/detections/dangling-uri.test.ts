/**
 * The AP-8 detection hook: DNS answers decide whether a dangling-URI detection is kept (NXDOMAIN / no address)
 * or dropped (resolves); lookup errors follow onLookupError; answers are cached and lookups time out.
 */
import { describe, expect, it } from 'vitest';
import { createDanglingUriHook, lookupHost, type HostResolver } from '../../../src/rules/enrich/dangling-uri.js';
import { createDetectionHooks } from '../../../src/rules/enrich/index.js';
import type { EntraEvent } from '../../../src/normalize/event.js';
import type { Detection } from '../../../src/rules/types.js';

const enoent = (code: string) => Object.assign(new Error(code), { code });

class FakeResolver implements HostResolver {
  calls = 0;
  constructor(private readonly answers: Record<string, string[] | string>) {}
  private answer(host: string, family: 4 | 6): Promise<unknown[]> {
    this.calls++;
    const a = this.answers[`${host}/${family}`] ?? this.answers[host];
    if (a === 'hang') return new Promise(() => {});
    if (typeof a === 'string') return Promise.reject(enoent(a));
    return Promise.resolve(a ?? []);
  }
  resolve4(host: string) {
    return this.answer(host, 4);
  }
  resolve6(host: string) {
    return this.answer(host, 6);
  }
}

function detection(name = 'ap8_dangling_redirect_uri'): Detection {
  return {
    id: 'd1',
    rule: { id: 'r1', name, title: 't', level: 'high', seedRows: ['AP-8'], tags: [] },
    time: 0,
    group: {},
    cim: { app: 'entrawatch', signature: 't', signature_id: 'r1', severity: 'high', type: 'alert', description: '' },
    evidence: { eventIds: ['e1'] },
  };
}

function eventWithHosts(hosts: string[]): EntraEvent {
  return { id: 'e1', time: 0, kind: 'audit', category: 'AuditLogs', raw: {}, format: 'azure-monitor', cim: {}, fields: { entrawatch: { redirect_hosts: hosts } } };
}

const base = { timeoutMs: 50, cacheSize: 10, cacheTtlMs: 60_000, onLookupError: 'keep' as const, rules: ['ap8_dangling_redirect_uri'] };

describe('AP-8 dangling URI hook', () => {
  it('keeps the detection when a host is NXDOMAIN, with the dangling hosts as evidence', async () => {
    const resolver = new FakeResolver({ 'gone.example': 'ENOTFOUND', 'ok.example': ['192.0.2.1'] });
    const hook = createDanglingUriHook({ ...base, resolver });
    const out = await hook(detection(), [eventWithHosts(['ok.example', 'gone.example'])]);
    expect(out?.evidence.values).toMatchObject({ dns_status: 'nxdomain', dangling_hosts: ['gone.example'] });
  });

  it('drops the detection when every host resolves (A or only AAAA)', async () => {
    const resolver = new FakeResolver({ 'v4.example': ['192.0.2.1'], 'v6.example/4': 'ENODATA', 'v6.example/6': ['2001:db8::1'] });
    const hook = createDanglingUriHook({ ...base, resolver });
    expect(await hook(detection(), [eventWithHosts(['v4.example', 'v6.example'])])).toBeNull();
  });

  it('treats a name with no address at all as dangling', async () => {
    expect(await lookupHost(new FakeResolver({ 'empty.example': 'ENODATA' }), 'empty.example', 50)).toBe('nxdomain');
  });

  it('keeps (marked) or drops on lookup errors and timeouts, as configured', async () => {
    const resolver = new FakeResolver({ 'slow.example': 'hang', 'broken.example': 'ESERVFAIL' });
    const keep = createDanglingUriHook({ ...base, resolver });
    const kept = await keep(detection(), [eventWithHosts(['slow.example', 'broken.example'])]);
    expect(kept?.evidence.values).toMatchObject({ dns_status: 'lookup_failed', unresolved_hosts: ['slow.example', 'broken.example'] });
    const drop = createDanglingUriHook({ ...base, resolver, onLookupError: 'drop' });
    expect(await drop(detection(), [eventWithHosts(['broken.example'])])).toBeNull();
  });

  it('caches answers (not errors) and shares one lookup per host', async () => {
    const resolver = new FakeResolver({ 'gone.example': 'ENOTFOUND' });
    const hook = createDanglingUriHook({ ...base, resolver });
    await Promise.all([hook(detection(), [eventWithHosts(['gone.example'])]), hook(detection(), [eventWithHosts(['gone.example'])])]);
    await hook(detection(), [eventWithHosts(['gone.example'])]);
    expect(resolver.calls).toBe(1);
  });

  it('passes other rules through untouched and drops detections without hosts', async () => {
    const hook = createDanglingUriHook({ ...base, resolver: new FakeResolver({}) });
    const other = detection('ca8_disabled_account_signin');
    expect(await hook(other, [])).toBe(other);
    expect(await hook(detection(), [eventWithHosts([])])).toBeNull();
  });

  it('is built by createDetectionHooks from config, and can be turned off', async () => {
    const resolver = new FakeResolver({ 'gone.example': 'ENOTFOUND' });
    const [hook] = createDetectionHooks({ danglingUri: { timeoutMs: 50 } }, { resolver });
    expect(await hook!(detection(), [eventWithHosts(['gone.example'])])).not.toBeNull();
    expect(createDetectionHooks({ danglingUri: { enabled: false } })).toEqual([]);
  });
});

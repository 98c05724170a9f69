/**
 * The Splunk app in splunk-app/: the checked-in generated files equal a fresh build (stale check), every .conf file
 * parses (stanzas, key = value, no duplicate keys), every saved search has its _filter macro and runs at most
 * 12 times an hour, every lookup file has a transforms definition, severities and suppression follow the rules,
 * no local/ directory, dashboards are Simple XML forms, and the .spl is a gzipped tar of entrawatch/.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { withFilterMacro } from '../../../src/rules/convert/spl/index.js';
import { ALERT_SEVERITY, generateAppFiles } from '../../../src/splunk/app-files.js';
import { findStaleFiles } from '../../../src/splunk/build.js';
import { parseConf, stanzaMap } from '../../../src/splunk/conf.js';
import { savedSearchName } from '../../../src/splunk/names.js';
import { loadAppSources } from '../../../src/splunk/settings.js';
import { tarGzip } from '../../../src/splunk/tar.js';
import { packageVersion } from '../../../src/package-root.js';

const APP = 'splunk-app';

function conf(name: string) {
  const parsed = parseConf(readFileSync(join(APP, 'default', name), 'utf8'));
  expect(parsed.problems, name).toEqual([]);
  return stanzaMap(parsed);
}

/** Runs per hour of a five-field cron (minute field only; hour field must be `*` or a single value). */
function runsPerHour(cron: string): number {
  const [minute] = cron.split(/\s+/);
  let n = 0;
  for (const part of minute!.split(',')) {
    const step = /^(\*|\d+-\d+)\/(\d+)$/.exec(part);
    if (part === '*') n += 60;
    else if (step) {
      const [lo, hi] = step[1] === '*' ? [0, 59] : step[1]!.split('-').map(Number);
      n += Math.floor((hi! - lo!) / Number(step[2])) + 1;
    } else if (/^\d+-\d+$/.test(part)) {
      const [lo, hi] = part.split('-').map(Number);
      n += hi! - lo! + 1;
    } else n += 1;
  }
  return n;
}

describe('splunk-app', async () => {
  const sources = await loadAppSources('entrawatch.example.yaml');
  const generated = generateAppFiles(sources, packageVersion());

  it('is up to date with rules/ and entrawatch.example.yaml (run `entrawatch splunk-app build` when this fails)', async () => {
    expect(await findStaleFiles(APP, generated.files)).toEqual([]);
  });

  it('every rule in rules/ converts', () => {
    expect(generated.conversion.errors).toEqual([]);
    expect(generated.conversion.detections.length).toBeGreaterThan(40);
  });

  it('every .conf file parses: stanzas, key = value, no duplicate stanzas or keys', () => {
    for (const f of readdirSync(join(APP, 'default')).filter((n) => n.endsWith('.conf'))) conf(f);
    const meta = parseConf(readFileSync(join(APP, 'metadata', 'default.meta'), 'utf8'));
    expect(meta.problems).toEqual([]);
  });

  it('app.conf: id, version, launcher, ui, package', () => {
    const app = conf('app.conf');
    expect(app.get('package')?.get('id')).toBe('entrawatch');
    expect(app.get('package')?.get('check_for_updates')).toBe('0');
    expect(app.get('id')?.get('version')).toBe(packageVersion());
    expect(app.get('launcher')?.get('version')).toBe(packageVersion());
    expect(app.get('install')?.get('is_configured')).toBe('0');
    expect(app.get('ui')?.get('label')).toBe('entrawatch');
  });

  it('saved searches: one per detection, named `entrawatch - <title> - Rule`, ending with their _filter macro', () => {
    const saved = conf('savedsearches.conf');
    const macros = conf('macros.conf');
    expect(saved.size).toBe(generated.conversion.detections.length);
    for (const d of generated.conversion.detections) {
      const s = saved.get(savedSearchName(d.meta));
      expect(s, d.meta.title).toBeDefined();
      expect(s!.get('search')).toBe(withFilterMacro(d));
      const filter = /`([a-z0-9_]+_filter)`$/.exec(s!.get('search')!)?.[1];
      expect(filter).toBeDefined();
      expect(macros.get(filter!)?.get('definition')).toBe('search *');
      expect(s!.get('search')!.startsWith('`entrawatch_aad`') || s!.get('search')!.startsWith('| multisearch')).toBe(true);
      expect(s!.get('alert.severity')).toBe(String(ALERT_SEVERITY[d.meta.level]));
      expect(s!.get('disabled')).toBe('1');
      expect(s!.get('schedule_window')).toBe('auto');
      expect(runsPerHour(s!.get('cron_schedule')!)).toBeLessThanOrEqual(12);
      expect(s!.get('dispatch.latest_time')).toBe('-15m@h');
      if (d.groupFields.length > 0) {
        expect(s!.get('alert.suppress')).toBe('1');
        expect(s!.get('alert.suppress.fields')).toBe(d.groupFields.join(','));
      }
      if (d.meta.seedRows.length > 0) expect(s!.get('description')).toContain(`Seed rows: ${d.meta.seedRows.join(', ')}`);
    }
  });

  it('every macro a search uses is defined (base, enrichment, filter)', () => {
    const macros = conf('macros.conf');
    const saved = conf('savedsearches.conf');
    for (const [, s] of saved) {
      for (const m of s.get('search')!.matchAll(/`([a-z0-9_]+)`/g)) expect(macros.has(m[1]!), m[1]).toBe(true);
    }
    expect(macros.get('entrawatch_aad')?.get('definition')).toContain('sourcetype="azure:monitor:aad"');
    expect(macros.get('entrawatch_aad')?.get('definition')).toContain('`entrawatch_index`');
  });

  it('every lookup file has a transforms definition, and every lookup a search uses exists', () => {
    const transforms = conf('transforms.conf');
    const files = readdirSync(join(APP, 'lookups'));
    for (const f of files) {
      const stanza = [...transforms.values()].find((t) => t.get('filename') === f);
      expect(stanza, f).toBeDefined();
      expect(readFileSync(join(APP, 'lookups', f), 'utf8').split('\n')[0]).toBe('value');
    }
    const text = readFileSync(join(APP, 'default', 'savedsearches.conf'), 'utf8') + readFileSync(join(APP, 'default', 'macros.conf'), 'utf8');
    for (const m of text.matchAll(/lookup (entrawatch_[a-z0-9_]+) /g)) expect(transforms.has(m[1]!), m[1]).toBe(true);
    expect(transforms.get('entrawatch_admin_approved_ip_ranges')?.get('match_type')).toBe('CIDR(value)');
  });

  it('CIM: detections are Alerts; azure:monitor:aad only gets prefixed eventtypes and tags (no props stanza)', () => {
    const props = conf('props.conf');
    expect([...props.keys()]).toEqual(['entrawatch:detection']);
    expect(props.get('entrawatch:detection')?.get('KV_MODE')).toBe('json');
    const eventtypes = conf('eventtypes.conf');
    for (const name of eventtypes.keys()) expect(name.startsWith('entrawatch_')).toBe(true);
    const tags = conf('tags.conf');
    expect(tags.get('eventtype=entrawatch_detection')?.get('alert')).toBe('enabled');
    expect(tags.get('eventtype=entrawatch_aad_signin')?.get('authentication')).toBe('enabled');
    expect(tags.get('eventtype=entrawatch_aad_audit')?.get('change')).toBe('enabled');
  });

  it('no local/ directory or local.meta; dashboards are Simple XML forms listed in the nav', () => {
    expect(existsSync(join(APP, 'local'))).toBe(false);
    expect(existsSync(join(APP, 'metadata', 'local.meta'))).toBe(false);
    const views = readdirSync(join(APP, 'default/data/ui/views'));
    expect(views.length).toBeGreaterThanOrEqual(3);
    const nav = readFileSync(join(APP, 'default/data/ui/nav/default.xml'), 'utf8');
    for (const v of views) {
      const xml = readFileSync(join(APP, 'default/data/ui/views', v), 'utf8');
      expect(xml.startsWith('<form version="1.1"')).toBe(true);
      expect(nav).toContain(`name="${v.replace(/\.xml$/, '')}"`);
    }
  });

  it('the .spl package is a gzipped ustar of entrawatch/ with deterministic bytes', () => {
    const a = tarGzip([{ path: 'entrawatch/default/app.conf', data: Buffer.from('[ui]\n') }]);
    const b = tarGzip([{ path: 'entrawatch/default/app.conf', data: Buffer.from('[ui]\n') }]);
    expect(a.equals(b)).toBe(true);
    const tar = gunzipSync(a);
    const names: string[] = [];
    for (let off = 0; off + 512 <= tar.length; ) {
      const name = tar.subarray(off, off + 100).toString('utf8').replace(/\0.*$/s, '');
      if (name === '') break;
      expect(tar.subarray(off + 257, off + 262).toString()).toBe('ustar');
      const size = parseInt(tar.subarray(off + 124, off + 136).toString(), 8);
      names.push(name);
      off += 512 + Math.ceil(size / 512) * 512;
    }
    expect(names).toEqual(['entrawatch/', 'entrawatch/default/', 'entrawatch/default/app.conf']);
  });
});

/**
 * Splunk .conf files: a writer (stanzas of `key = value`, one line per value) and a strict parser used by the
 * app's tests and by `splunk-app build --check`. Values never contain a line break and never end with a
 * backslash (Splunk would read it as a line continuation); the writer refuses them.
 */

export interface ConfStanza {
  name: string;
  /** ordered key/value pairs; `null` name = the default stanza before the first [header] */
  entries: Array<[string, string]>;
}

export function writeConf(header: string[], stanzas: ConfStanza[]): string {
  const lines = header.map((h) => `# ${h}`.trimEnd());
  for (const s of stanzas) {
    if (lines.length > 0) lines.push('');
    if (/[\]\r\n]/.test(s.name)) throw new Error(`stanza name ${JSON.stringify(s.name)} cannot be written in a .conf file`);
    lines.push(`[${s.name}]`);
    const seen = new Set<string>();
    for (const [key, value] of s.entries) {
      if (seen.has(key)) throw new Error(`[${s.name}] has the key ${key} twice`);
      seen.add(key);
      if (/[\r\n]/.test(value) || value.endsWith('\\')) {
        throw new Error(`[${s.name}] ${key}: a value must be one line and not end with a backslash`);
      }
      lines.push(value === '' ? `${key} =` : `${key} = ${value}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export interface ParsedConf {
  stanzas: ConfStanza[];
  /** problems found: duplicate stanzas or keys, lines that are neither comment, header nor key = value */
  problems: string[];
}

/** Parses a .conf text (comments `#`, `[stanza]`, `key = value`, `\` continuations). */
export function parseConf(text: string): ParsedConf {
  const stanzas: ConfStanza[] = [];
  const problems: string[] = [];
  let current: ConfStanza = { name: 'default', entries: [] };
  const names = new Set<string>();
  const raw = text.split(/\r?\n/);
  for (let i = 0; i < raw.length; i++) {
    let line = raw[i]!;
    while (line.endsWith('\\') && i + 1 < raw.length) line = `${line.slice(0, -1)}\n${raw[++i]}`;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const header = /^\[(.*)\]$/.exec(trimmed);
    if (header) {
      const name = header[1]!;
      if (names.has(name)) problems.push(`line ${i + 1}: stanza [${name}] appears twice`);
      names.add(name);
      current = { name, entries: [] };
      stanzas.push(current);
      continue;
    }
    const kv = /^([^=\s][^=]*?)\s*=\s?(.*)$/s.exec(trimmed);
    if (!kv) {
      problems.push(`line ${i + 1}: not "key = value": ${trimmed.slice(0, 60)}`);
      continue;
    }
    const key = kv[1]!;
    if (current.entries.some(([k]) => k === key)) problems.push(`line ${i + 1}: [${current.name}] has the key ${key} twice`);
    current.entries.push([key, kv[2]!]);
  }
  return { stanzas, problems };
}

export function stanzaMap(conf: ParsedConf): Map<string, Map<string, string>> {
  return new Map(conf.stanzas.map((s) => [s.name, new Map(s.entries)]));
}

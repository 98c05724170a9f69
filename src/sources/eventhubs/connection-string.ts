/**
 * Event Hubs namespace connection strings: where they come from (inline config, a secret file, or the
 * ENTRAWATCH_EVENTHUBS_CONNECTION_STRING environment variable) and what they must contain
 * (`Endpoint=sb://<host>/;SharedAccessKeyName=<name>;SharedAccessKey=<key>[;EntityPath=<hub>]`).
 * Every error names the config key and the fix; no message ever contains the key or the whole string.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../errors.js';

export const EVENTHUBS_CONNECTION_STRING_ENV = 'ENTRAWATCH_EVENTHUBS_CONNECTION_STRING';

/** The parts of a connection string that may be shown; the key itself is kept apart in `ParsedEventHubsConnectionString`. */
export interface EventHubsConnectionStringInfo {
  /** fully qualified namespace host, e.g. `contoso-logs.servicebus.windows.net` */
  host: string;
  /** namespace name: the first label of the host, e.g. `contoso-logs` */
  namespace: string;
  sharedAccessKeyName: string;
  /** the hub a hub-level policy is bound to, when the string has one */
  entityPath?: string;
}

export interface ParsedEventHubsConnectionString extends EventHubsConnectionStringInfo {
  /** the whole connection string as given (trimmed): a secret */
  connectionString: string;
}

/** Where to read the connection string from; at most one of the two may be set, else the environment is used. */
export interface ConnectionStringSource {
  connectionString?: string | undefined;
  connectionStringFile?: string | undefined;
}

export interface ResolveOptions {
  /** dotted config path of the section, for error messages (default `eventHubs`) */
  keyPrefix?: string;
  env?: NodeJS.ProcessEnv;
  readFile?: (path: string) => string;
}

const defaultReadFile = (path: string): string => readFileSync(path, 'utf8');

/**
 * Finds the connection string (inline, then secret file, then ENTRAWATCH_EVENTHUBS_CONNECTION_STRING) and
 * validates it. Throws ConfigError naming the key and the fix; never echoes the secret.
 */
export function resolveEventHubsConnectionString(
  source: ConnectionStringSource,
  options: ResolveOptions = {},
): ParsedEventHubsConnectionString {
  const prefix = options.keyPrefix ?? 'eventHubs';
  const env = options.env ?? process.env;
  const readFile = options.readFile ?? defaultReadFile;

  if (source.connectionString && source.connectionStringFile) {
    throw new ConfigError(
      `${prefix}.connectionString`,
      `both connectionString and connectionStringFile are set: keep only one (prefer connectionStringFile, a secret file).`,
    );
  }
  if (source.connectionString) {
    return parseEventHubsConnectionString(source.connectionString, `${prefix}.connectionString`);
  }
  if (source.connectionStringFile) {
    let text: string;
    try {
      text = readFile(source.connectionStringFile);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new ConfigError(
        `${prefix}.connectionStringFile`,
        `cannot read the secret file ${source.connectionStringFile} (${code}): check the path and that entrawatch may read it.`,
      );
    }
    return parseEventHubsConnectionString(text, `${prefix}.connectionStringFile`);
  }
  const fromEnv = env[EVENTHUBS_CONNECTION_STRING_ENV];
  if (fromEnv) return parseEventHubsConnectionString(fromEnv, EVENTHUBS_CONNECTION_STRING_ENV);
  throw new ConfigError(
    `${prefix}.connectionString`,
    `no Event Hubs connection string: set ${prefix}.connectionStringFile to a file holding it, or the ` +
      `environment variable ${EVENTHUBS_CONNECTION_STRING_ENV} (Azure portal > Event Hubs namespace > Shared access policies).`,
  );
}

/**
 * Parses and validates `Endpoint=sb://<host>/;SharedAccessKeyName=...;SharedAccessKey=...[;EntityPath=...]`.
 * `key` names where it came from, for the error message.
 */
export function parseEventHubsConnectionString(raw: string, key = 'eventHubs.connectionString'): ParsedEventHubsConnectionString {
  const connectionString = raw.trim();
  if (connectionString === '') {
    throw new ConfigError(key, 'the connection string is empty: paste the namespace "Connection string-primary key" from Shared access policies.');
  }
  if (/^["']|["']$/.test(connectionString)) {
    throw new ConfigError(key, 'the connection string is wrapped in quotes: remove them.');
  }
  const parts = new Map<string, string>();
  for (const segment of connectionString.split(';')) {
    if (segment.trim() === '') continue;
    const eq = segment.indexOf('=');
    if (eq <= 0) {
      throw new ConfigError(
        key,
        'the connection string is not a list of Name=value pairs separated by ";": copy it again from the Azure portal ' +
          '(Event Hubs namespace > Shared access policies > Connection string-primary key).',
      );
    }
    parts.set(segment.slice(0, eq).trim().toLowerCase(), segment.slice(eq + 1).trim());
  }

  const endpoint = parts.get('endpoint');
  if (!endpoint) {
    throw new ConfigError(key, 'the connection string has no Endpoint=sb://<namespace>.servicebus.windows.net/ part: use an Event Hubs namespace connection string.');
  }
  const m = /^sb:\/\/([^/:;\s]+)(?::\d+)?\/?$/i.exec(endpoint);
  if (!m) {
    throw new ConfigError(
      key,
      `Endpoint must look like sb://<namespace>.servicebus.windows.net/ (found a value starting with "${endpoint.slice(0, 8)}"): ` +
        'use the Event Hubs namespace connection string, not a storage or HTTPS URL.',
    );
  }
  const host = m[1].toLowerCase();
  if (!host.includes('.')) {
    throw new ConfigError(key, `Endpoint host "${host}" is not fully qualified: expected <namespace>.servicebus.windows.net.`);
  }
  const sharedAccessKeyName = parts.get('sharedaccesskeyname');
  if (!sharedAccessKeyName) {
    throw new ConfigError(key, 'the connection string has no SharedAccessKeyName: copy a shared access policy connection string (e.g. with a Listen policy).');
  }
  const sharedAccessKey = parts.get('sharedaccesskey');
  if (!sharedAccessKey) {
    throw new ConfigError(key, `the connection string has no SharedAccessKey for policy "${sharedAccessKeyName}": copy the full connection string, not only the key name.`);
  }
  const entityPath = parts.get('entitypath') || undefined;
  return {
    connectionString,
    host,
    namespace: host.split('.')[0],
    sharedAccessKeyName,
    ...(entityPath ? { entityPath } : {}),
  };
}

/** The displayable parts only (no key, no connection string). */
export function connectionStringInfo(parsed: ParsedEventHubsConnectionString): EventHubsConnectionStringInfo {
  return {
    host: parsed.host,
    namespace: parsed.namespace,
    sharedAccessKeyName: parsed.sharedAccessKeyName,
    ...(parsed.entityPath ? { entityPath: parsed.entityPath } : {}),
  };
}

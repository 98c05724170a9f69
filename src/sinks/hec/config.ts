/**
 * Configuration of the Splunk HEC sink (`sinks.hec` in entrawatch.yaml): the zod schema with defaults and
 * descriptions, and `validateHecSinkConfig`, a pure step that turns raw input into a checked config or throws a
 * ConfigError naming the key and the fix. Nothing here touches the network; `readHecToken` is the only I/O (the
 * token file). The token never appears in an error message.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ConfigError } from '../../errors.js';

// numbers and flags may come as strings from environment overrides (ENTRAWATCH_SINKS__HEC__GZIP=false)
const positiveInt = (what: string) =>
  z.coerce
    .number({ error: `must be a number (${what})` })
    .int({ error: 'must be a whole number' })
    .positive({ error: 'must be greater than 0' });

const flag = () =>
  z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean({ error: 'must be true or false' }));

/** a list, or a comma-separated string (environment overrides) */
const listOf = <T extends z.ZodType>(item: T, error: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.split(',').map((x) => x.trim()).filter((x) => x !== '') : v),
    z.array(item, { error }),
  );

const hecUrl = z.string({ error: 'must be a URL string such as https://splunk.example.com:8088' }).refine(
  (s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'https:' || u.protocol === 'http:';
    } catch {
      return false;
    }
  },
  { error: 'must be an http(s) URL such as https://splunk.example.com:8088 (the HEC port, usually 8088)' },
);

export const hecBatchConfigSchema = z
  .strictObject({
    maxBytes: positiveInt('bytes')
      .default(1_000_000)
      .describe('largest request body before compression; keep <= 1 MB for older Splunk (max_content_length)'),
    maxEvents: positiveInt('events').default(500).describe('most HEC events in one request'),
    flushIntervalMs: z.coerce
      .number()
      .int()
      .min(0, { error: 'must be 0 or more' })
      .default(200)
      .describe('how long a partly filled batch waits for more events from other deliveries; 0 sends at once'),
  })
  .describe('how events are grouped into requests');

export const hecRetryConfigSchema = z
  .strictObject({
    baseMs: positiveInt('milliseconds').default(500).describe('first backoff step'),
    maxMs: positiveInt('milliseconds').default(30_000).describe('longest wait between two attempts'),
    jitter: flag().default(true).describe('full jitter: wait a random time between 0 and the backoff step'),
    urlBackoffMs: positiveInt('milliseconds')
      .default(5_000)
      .describe('after a 503 from a URL, other URLs take the load for this long'),
  })
  .describe('retry of transient failures (5xx, 429, 503 codes 9/18-20, resets, timeouts): forever, with backoff');

export const hecTlsConfigSchema = z
  .strictObject({
    rejectUnauthorized: flag()
      .default(true)
      .describe('verify the HEC server certificate (turn off only for a lab; use caFile instead)'),
    caFile: z.string().min(1).optional().describe('PEM file of the CA that signed the HEC certificate'),
  })
  .describe('TLS settings for https URLs');

export const hecSinkConfigSchema = z
  .strictObject({
    urls: listOf(hecUrl, 'must be a list of HEC URLs, e.g. [https://splunk.example.com:8088]')
      .refine((a) => a.length >= 1, { error: 'needs at least one HEC URL, e.g. [https://splunk.example.com:8088]' })
      .describe('HEC base URLs, used round-robin; a URL that fails or answers 503 is rested while others take the load'),
    token: z.string().min(1, { error: 'is empty: set the HEC token, or use tokenFile' }).optional().describe('HEC token (prefer tokenFile or the env override)'),
    tokenFile: z.string().min(1).optional().describe('file holding the HEC token (first line, trimmed)'),
    index: z.string().min(1).optional().describe("index for raw events; the token's default index when unset"),
    detectionIndex: z.string().min(1).optional().describe('index for detections; `index` when unset'),
    host: z.string().min(1).optional().describe('HEC `host` of every event; Splunk uses the HEC server when unset'),
    source: z.string().min(1).default('entrawatch').describe('HEC `source` of every event'),
    sourcetype: z
      .string()
      .min(1)
      .default('azure:monitor:aad')
      .describe('sourcetype of raw Entra records (the Microsoft Cloud Services add-on and ESCU expect azure:monitor:aad)'),
    detectionSourcetype: z.string().min(1).default('entrawatch:detection').describe('sourcetype of detections'),
    useAck: flag()
      .default(true)
      .describe('indexer acknowledgment: a delivery counts only once Splunk confirms it (the token must have useACK on)'),
    ackPollIntervalMs: positiveInt('milliseconds')
      .default(1_000)
      .describe(
        'how often pending ackIds are polled (one small request per channel). Records wait for their ack in memory, bounded by pipeline.maxInFlightBytes, so a worker delivers at most about maxInFlightBytes per ack round trip: polling every 10 s, as some forwarders do, would cap a worker near 1 MB/s',
      ),
    ackTimeoutMs: positiveInt('milliseconds')
      .default(300_000)
      .describe('a request not acknowledged after this long is sent again (duplicates possible, loss never)'),
    batch: hecBatchConfigSchema.default({ maxBytes: 1_000_000, maxEvents: 500, flushIntervalMs: 200 }),
    gzip: flag().default(true).describe('gzip request bodies (Content-Encoding: gzip)'),
    gzipLevel: z
      .number({ error: 'sinks.hec.gzipLevel must be a number from 1 (fastest) to 9 (smallest)' })
      .int({ error: 'sinks.hec.gzipLevel must be a whole number from 1 to 9' })
      .min(1, { error: 'sinks.hec.gzipLevel must be at least 1' })
      .max(9, { error: 'sinks.hec.gzipLevel must be at most 9' })
      .default(1)
      .describe('gzip level: 1 takes about half the CPU of 6 for bodies ~25% larger (Entra JSON still shrinks ~9x)'),
    maxInFlightRequests: positiveInt('requests').default(4).describe('concurrent requests per URL (one channel each)'),
    requestTimeoutMs: positiveInt('milliseconds').default(30_000).describe('a request without an answer after this long is retried'),
    closeTimeoutMs: positiveInt('milliseconds').default(30_000).describe('how long close() waits for pending deliveries'),
    retry: hecRetryConfigSchema.default({ baseMs: 500, maxMs: 30_000, jitter: true, urlBackoffMs: 5_000 }),
    tls: hecTlsConfigSchema.default({ rejectUnauthorized: true }),
    indexedFields: listOf(z.string().min(1), 'must be a list of CIM field names, e.g. [user, src_ip]')
      .default([])
      .describe('CIM field names sent as HEC index-time `fields` (e.g. [user, src_ip, action]); none by default'),
  })
  .superRefine((c, ctx) => {
    if (c.token === undefined && c.tokenFile === undefined) {
      ctx.addIssue({ code: 'custom', path: ['token'], message: 'is missing: set token (or ENTRAWATCH_SINKS__HEC__TOKEN) or tokenFile' });
    }
    if (c.token !== undefined && c.tokenFile !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['tokenFile'], message: 'both token and tokenFile are set: keep one' });
    }
    if (c.ackTimeoutMs <= c.ackPollIntervalMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['ackTimeoutMs'],
        message: `must be longer than ackPollIntervalMs (${c.ackPollIntervalMs}); the defaults are 300000 and 1000`,
      });
    }
    if (c.retry.maxMs < c.retry.baseMs) {
      ctx.addIssue({ code: 'custom', path: ['retry', 'maxMs'], message: 'must be at least retry.baseMs' });
    }
  })
  .describe('Splunk HTTP Event Collector sink');

export type HecSinkConfigInput = z.input<typeof hecSinkConfigSchema>;
export type HecSinkConfig = z.output<typeof hecSinkConfigSchema>;

/**
 * Checks raw config (parsed YAML) and fills defaults. Pure: no network, no files.
 * Throws ConfigError naming the first wrong key (e.g. `sinks.hec.urls.0`) with the fix; lists all problems.
 */
export function validateHecSinkConfig(input: unknown, keyPrefix = 'sinks.hec'): HecSinkConfig {
  const parsed = hecSinkConfigSchema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const key = [keyPrefix, ...issue.path.map(String)].join('.');
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') message = `unknown key(s) ${issue.keys.join(', ')}: check the spelling`;
    return { key, message };
  });
  const first = problems[0];
  const rest = problems.slice(1).map((p) => `; ${p.key}: ${p.message}`).join('');
  throw new ConfigError(first.key, `${first.message}${rest}`);
}

/** The token from `token` or from the first line of `tokenFile`. Throws ConfigError (never quoting the token). */
export async function readHecToken(config: Pick<HecSinkConfig, 'token' | 'tokenFile'>, keyPrefix = 'sinks.hec'): Promise<string> {
  if (config.token !== undefined) return config.token.trim();
  if (config.tokenFile === undefined) {
    throw new ConfigError(`${keyPrefix}.token`, 'is missing: set token or tokenFile');
  }
  let text: string;
  try {
    text = await readFile(config.tokenFile, 'utf8');
  } catch (err) {
    throw new ConfigError(
      `${keyPrefix}.tokenFile`,
      `cannot read ${config.tokenFile} (${(err as NodeJS.ErrnoException).code ?? 'error'}): check the path and its permissions`,
    );
  }
  const token = text.split(/\r?\n/)[0]?.trim() ?? '';
  if (token === '') throw new ConfigError(`${keyPrefix}.tokenFile`, `${config.tokenFile} is empty: write the HEC token on its first line`);
  return token;
}

/**
 * The pino logger of entrawatch. Secrets never reach a log line: known secret keys are redacted by path, and
 * `redactSecrets` scrubs tokens and connection strings that end up inside free text (error messages, URLs).
 */
import { pino, type Logger } from 'pino';

export type { Logger };

const SECRET_KEYS = [
  'token',
  'hecToken',
  'password',
  'connectionString',
  'authorization',
  'Authorization',
  'redisUrl',
];

/** Paths pino censors wherever they occur at up to three levels of nesting. */
export const REDACT_PATHS: string[] = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

const SECRET_PATTERNS: Array<[RegExp, string]> = [
  // Event Hubs / Service Bus connection strings
  [/SharedAccessKey=[^;"'\s]+/gi, 'SharedAccessKey=[REDACTED]'],
  // HEC tokens in an Authorization header value
  [/Splunk\s+[0-9a-f-]{8,}/gi, 'Splunk [REDACTED]'],
  // passwords inside URLs: redis://user:secret@host, https://u:p@h
  [/(\/\/[^:/@\s]*:)[^@/\s]+@/g, '$1[REDACTED]@'],
];

/** Removes secrets from free text (error messages, URLs) before it is logged or printed. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [re, replacement] of SECRET_PATTERNS) out = out.replace(re, replacement);
  return out;
}

export interface LoggerOptions {
  level?: string;
  /** where to write; defaults to stderr so stdout stays free for data (scan --format json, sinks to stdout) */
  destination?: NodeJS.WritableStream;
  name?: string;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      name: options.name ?? 'entrawatch',
      level: options.level ?? process.env.ENTRAWATCH_LOG_LEVEL ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? redactSecrets(a) : a)) as Parameters<typeof method>;
          method.apply(this, scrubbed);
        },
      },
      serializers: {
        err: (err: unknown) => {
          const e = pino.stdSerializers.err(err as Error);
          if (e && typeof e.message === 'string') e.message = redactSecrets(e.message);
          if (e && typeof e.stack === 'string') e.stack = redactSecrets(e.stack);
          return e;
        },
      },
    },
    (options.destination as pino.DestinationStream | undefined) ?? pino.destination(2),
  );
}

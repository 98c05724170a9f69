/**
 * The error hierarchy of entrawatch. Every error says what to do about it and never carries a secret.
 * `retriable` tells the pipeline whether trying again can help (a busy HEC) or not (a bad token).
 */
export abstract class EntrawatchError extends Error {
  abstract readonly retriable: boolean;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A configuration value is wrong. `key` names it (dotted path), the message says how to fix it. */
export class ConfigError extends EntrawatchError {
  readonly retriable = false;
  constructor(readonly key: string, message: string, options?: { cause?: unknown }) {
    super(`config ${key}: ${message}`, options);
  }
}

/** A record or message could not be read. Goes to the dead letters with `reason`; consumption goes on. */
export class DecodeError extends EntrawatchError {
  readonly retriable = false;
  constructor(readonly reason: string, options?: { cause?: unknown }) {
    super(reason, options);
  }
}

/** A rule file is invalid: names the file, the rule, the line and what is wrong. */
export class RuleLoadError extends EntrawatchError {
  readonly retriable = false;
  constructor(
    readonly file: string,
    readonly rule: string | undefined,
    readonly line: number | undefined,
    readonly problem: string,
  ) {
    super(`${file}${line !== undefined ? `:${line}` : ''}${rule ? ` (rule "${rule}")` : ''}: ${problem}`);
  }
}

/** The sink refused these records for good (e.g. HEC 400 code 6): dead-letter them, do not retry. */
export class SinkRejectedError extends EntrawatchError {
  readonly retriable = false;
  constructor(readonly sink: string, readonly reason: string, readonly code?: number, options?: { cause?: unknown }) {
    super(`${sink} rejected the data: ${reason}`, options);
  }
}

/** The sink cannot take data now (busy, down, timeout): retry with backoff. */
export class SinkUnavailableError extends EntrawatchError {
  readonly retriable = true;
  constructor(readonly sink: string, readonly reason: string, readonly code?: number, options?: { cause?: unknown }) {
    super(`${sink} is unavailable: ${reason}`, options);
  }
}

/**
 * The sink will never accept data with this configuration (bad token, disabled token, wrong index):
 * the worker stops consuming, commits nothing and exits with this message.
 */
export class SinkFatalError extends EntrawatchError {
  readonly retriable = false;
  constructor(readonly sink: string, readonly reason: string, readonly code?: number, options?: { cause?: unknown }) {
    super(`${sink}: ${reason}`, options);
  }
}

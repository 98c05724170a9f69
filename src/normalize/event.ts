/**
 * The one shape every record becomes, whatever it came from (Event Hubs envelope, Graph JSON, portal CSV).
 */

export type EventKind = 'signin' | 'audit' | 'risk' | 'other';

/** The input format a record was read from. */
export type RecordFormat =
  | 'azure-monitor' // diagnostic-settings record: {time, category, operationName, properties{...}}
  | 'graph' // Graph / portal JSON download: no properties wrapper
  | 'csv-signin' // portal CSV: interactive or non-interactive sign-ins
  | 'csv-signin-authdetails' // portal CSV: sign-in authentication details
  | 'csv-audit'; // portal CSV: audit logs

/** Where a record came from, for error messages and dead letters. */
export interface RecordOrigin {
  /** file path, `-` for stdin, or `kafka:<topic>` */
  source: string;
  /** 1-based line (NDJSON / JSON files), CSV row (header = row 1), or the Kafka offset */
  line?: number;
  /** index of the record inside its envelope / array */
  index?: number;
  topic?: string;
  partition?: number;
  offset?: string;
}

/** A CIM value as Splunk would compute it at search time. Multi-valued fields are arrays. */
export type CimValue = string | number | boolean | string[];

/**
 * Splunk CIM fields (Authentication for sign-ins, Change for audits), named and valued as the Splunk Add-on for
 * Microsoft Cloud Services maps sourcetype azure:monitor:aad. Absent fields are left out (never "" or null).
 */
export type CimFields = Record<string, CimValue>;

export interface EntraEvent {
  /** stable id: properties.id (record id), else a hash of the canonical record */
  id: string;
  /** event time, epoch milliseconds (from the record, never arrival time) */
  time: number;
  kind: EventKind;
  /** the diagnostic-settings category: SignInLogs, AuditLogs, NonInteractiveUserSignInLogs, ... */
  category: string;
  /** the record exactly as received (parsed JSON object, or the CSV row keyed by header) */
  raw: Record<string, unknown>;
  format: RecordFormat;
  cim: CimFields;
  /**
   * The canonical record: always the Azure Monitor diagnostic-settings shape
   * (`time`, `category`, `operationName`, `resultType`, `resultDescription`, `callerIpAddress`, `tenantId`,
   * `properties{...}` with Graph's property names), whatever the input format, with typed values
   * (`properties.status.errorCode` a number, `durationMs` a number) so that one rule path works for every format.
   * `properties.targetResources[].modifiedProperties[]` entries carry, besides `oldValue` / `newValue` (the
   * JSON-encoded strings as logged), `oldValueParsed` / `newValueParsed` (the decoded JSON, or the string itself
   * when it is not JSON).
   */
  fields: Record<string, unknown>;
  origin?: RecordOrigin;
}

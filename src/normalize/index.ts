/**
 * normalizeRecord: a decoded record (Azure Monitor, Graph JSON or portal CSV) -> EntraEvent
 * { id, time, kind, category, raw, format, cim, fields, origin }.
 * Steps: CSV row -> Graph record (csv-columns) -> Azure Monitor shape (monitor-shape) -> category/kind (category)
 * -> for sign-ins, the steps the portal exports apart when a lookup is given (joined-steps) -> canonical typed
 * fields (canonical) -> CIM by kind (cim/*). Throws DecodeError with a reason for a record it cannot make sense of:
 * not an object, `properties` not an object, no usable time.
 */
import type { DecodedRecord } from '../decode/types.js';
import { DecodeError } from '../errors.js';
import { canonicalFields } from './canonical.js';
import { canonicalCategory, inferCategory, kindOfCategory } from './category.js';
import { auditCim } from './cim/audit.js';
import { OTHER_CIM } from './cim/other.js';
import { RISK_CIM } from './cim/risk.js';
import { signInCim } from './cim/signin.js';
import { applyCimTable, type CimContext } from './cim/table.js';
import { graphRecordOfCsvRow } from './csv-columns.js';
import type { CimFields, EntraEvent, EventKind, RecordOrigin } from './event.js';
import { monitorShapeOfGraph } from './monitor-shape.js';
import { withJoinedSteps, type AuthenticationStepLookup } from './joined-steps.js';
import { hashRecordId } from './record-id.js';
import { parseRecordTime } from './time.js';
import { isObject, text, type JsonObject } from './values.js';

export type { EntraEvent, EventKind, CimFields, CimValue, RecordFormat, RecordOrigin } from './event.js';
export type { AuthenticationStepLookup } from './joined-steps.js';

export interface NormalizeOptions {
  /** sign-in steps exported apart (portal AuthDetails CSV), attached as properties.authenticationDetails */
  authenticationSteps?: AuthenticationStepLookup;
}

/** CIM fields by kind: sign-ins and audits (nearly every record) by hand-written builders, the rest by tables. */
function cimOf(kind: EventKind, context: CimContext): CimFields {
  switch (kind) {
    case 'signin':
      return signInCim(context);
    case 'audit':
      return auditCim(context);
    case 'risk':
      return applyCimTable(RISK_CIM, context);
    default:
      return applyCimTable(OTHER_CIM, context);
  }
}

const NON_INTERACTIVE_FILE = /noninteractive/i;

/** A portal CSV says interactive or not by its file name only (InteractiveSignIns_* / NonInteractiveSignIns_*). */
function interactiveHintOf(origin: RecordOrigin | undefined): boolean | undefined {
  if (!origin?.source) return undefined;
  return !NON_INTERACTIVE_FILE.test(origin.source);
}

function propertiesOf(record: JsonObject): JsonObject {
  const p = record.properties;
  if (isObject(p)) return p;
  if (p === undefined || p === null) return {};
  if (typeof p === 'string') {
    // some shippers JSON-encode properties a second time
    try {
      const parsed: unknown = JSON.parse(p);
      if (isObject(parsed)) return parsed;
    } catch {
      // fall through
    }
    throw new DecodeError('record "properties" is a string, not an object: cannot read this record');
  }
  throw new DecodeError(`record "properties" is ${Array.isArray(p) ? 'an array' : typeof p}, not an object: cannot read this record`);
}

const TIME_KEYS = ['createdDateTime', 'activityDateTime', 'detectedDateTime', 'riskLastUpdatedDateTime'] as const;

function eventTime(fields: JsonObject, p: JsonObject): number {
  let t = parseRecordTime(fields.time);
  for (let i = 0; t === undefined && i < TIME_KEYS.length; i++) t = parseRecordTime(p[TIME_KEYS[i]]);
  if (t === undefined) {
    const shown = typeof fields.time === 'string' ? `"${fields.time.slice(0, 60)}"` : 'none';
    throw new DecodeError(`record has no usable time (time: ${shown}; also looked at ${TIME_KEYS.join(', ')})`);
  }
  return t;
}

function eventId(kind: EventKind, category: string, p: JsonObject, raw: JsonObject): string {
  const own = text(p.id);
  if (own === undefined) return hashRecordId(raw);
  // A RiskyUsers record's id is the user's object id: each new risk state of that user is a new event.
  if (category === 'RiskyUsers' && kind === 'risk') {
    const updated = text(p.riskLastUpdatedDateTime);
    return updated === undefined ? own : `${own}@${updated}`;
  }
  return own;
}

export function normalizeRecord(decoded: DecodedRecord, options?: NormalizeOptions): EntraEvent {
  const { record, format, origin } = decoded;
  if (!isObject(record)) throw new DecodeError('record is not a JSON object');

  let monitor: JsonObject;
  let properties: JsonObject;
  let category: string;
  if (format === 'azure-monitor') {
    monitor = record;
    properties = propertiesOf(record);
    const logged = text(record.category);
    category = logged !== undefined ? canonicalCategory(logged) : inferCategory(properties, record.operationName);
  } else {
    const graph = format === 'graph' ? record : graphRecordOfCsvRow(record, format);
    const hint = format === 'csv-signin' ? interactiveHintOf(origin) : undefined;
    category = format === 'csv-signin-authdetails' ? 'SignInAuthenticationDetails' : inferCategory(graph, undefined, hint);
    if (format === 'csv-signin' && graph.isInteractive === undefined && hint !== undefined) graph.isInteractive = hint;
    monitor = monitorShapeOfGraph(graph, category);
    properties = graph;
  }
  const kind = kindOfCategory(category);
  if (kind === 'signin' && options?.authenticationSteps) properties = withJoinedSteps(properties, options.authenticationSteps);
  const fields = canonicalFields(monitor, properties, category, kind);
  const p = fields.properties as JsonObject;
  const time = eventTime(fields, p);
  const id = eventId(kind, category, p, record);
  const cim = cimOf(kind, { f: fields, p, category });
  const event: EntraEvent = { id, time, kind, category, raw: record, format, cim, fields };
  if (origin !== undefined) event.origin = origin;
  return event;
}

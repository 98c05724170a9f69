/**
 * Canonical `fields`: an Azure Monitor shaped record with typed values, so one rule path works for every input.
 * Copy-on-write: the input is never changed; objects that need no fix are shared with `raw` (treat both as
 * read-only). What is fixed:
 * - top level: `category` canonical spelling (legacy "Audit" -> "AuditLogs"), `Level` a number (from `Level` or
 *   `level`, "Informational" -> 4), `durationMs` a number, `resultType` a string (derived from
 *   properties.status.errorCode when missing);
 * - sign-ins: `status.errorCode`, `processingTimeInMilliseconds`, `autonomousSystemNumber` numbers, `isInteractive`
 *   a boolean, `appliedConditionalAccessPolicies[].conditionsSatisfied/NotSatisfied` the Graph string form
 *   ("application,users") when logged as Azure Monitor's bit flags (the number is kept as `...Code`);
 * - audits: `result` "success"/"failure"/... (0 -> "success", other numbers -> "failure"), every
 *   `targetResources[].modifiedProperties[]` with `oldValueParsed`/`newValueParsed`; the legacy shape
 *   (`category: "Audit"`, `targetResourceName` "a__b__c", `targetUpdatedProperties`) gains the modern properties
 *   (activityDisplayName, category, result, initiatedBy, targetResources) and its targetUpdatedProperties entries
 *   get the parsed values too.
 */
import type { EventKind } from './event.js';
import { parseTargetUpdatedProperties, withParsedTargetResources } from './logged-values.js';
import { lowerCase, memoByString } from './memo.js';
import { copyObject, isObject, text, toBoolean, toNumber, type JsonObject } from './values.js';

const LEVELS: Readonly<Record<string, number>> = { critical: 1, error: 2, warning: 3, informational: 4, information: 4, verbose: 5 };

/** A level name ("Informational") or numeric string as a number; by spelling, audits name it on every record. */
const levelOfString = memoByString((value): number | undefined => {
  const lower = value.toLowerCase();
  return Object.hasOwn(LEVELS, lower) ? LEVELS[lower] : toNumber(value);
});

function levelNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  return levelOfString(value);
}

/** Graph conditionalAccessConditions flag names, bit i = 1 << i (none = 0). */
const CONDITION_FLAGS = [
  'application', 'users', 'devicePlatform', 'location', 'clientType', 'signInRisk', 'userRisk', 'time', 'deviceState',
  'client', 'ipAddressSeenByAzureAD', 'ipAddressSeenByResourceProvider', 'unknownFutureValue', 'servicePrincipals',
  'servicePrincipalRisk', 'authenticationFlows', 'insiderRisk',
];

export function conditionFlagsToString(flags: number): string {
  if (flags === 0) return 'none';
  const names: string[] = [];
  for (let i = 0; i < CONDITION_FLAGS.length; i++) if (flags & (1 << i)) names.push(CONDITION_FLAGS[i]);
  return names.join(',');
}

function fixConditionalAccess(list: unknown): unknown[] | undefined {
  if (!Array.isArray(list)) return undefined;
  let needed = false;
  for (const p of list) {
    if (isObject(p) && (typeof p.conditionsSatisfied === 'number' || typeof p.conditionsNotSatisfied === 'number')) {
      needed = true;
      break;
    }
  }
  if (!needed) return undefined;
  return list.map((p) => {
    if (!isObject(p)) return p;
    const copy: JsonObject = { ...p };
    for (const key of ['conditionsSatisfied', 'conditionsNotSatisfied']) {
      const v = p[key];
      if (typeof v === 'number') {
        copy[key] = conditionFlagsToString(v);
        copy[`${key}Code`] = v;
      }
    }
    return copy;
  });
}

/** Copy-on-write holder for one object. */
class Cow {
  private copy: JsonObject | undefined;
  constructor(readonly source: JsonObject) {}
  get(key: string): unknown {
    return (this.copy ?? this.source)[key];
  }
  set(key: string, value: unknown): void {
    this.copy ??= copyObject(this.source);
    this.copy[key] = value;
  }
  get changed(): boolean {
    return this.copy !== undefined;
  }
  get value(): JsonObject {
    return this.copy ?? this.source;
  }
}

/** `value` as a number when it is a numeric string, else undefined (nothing to fix). */
function numberFromString(value: unknown): number | undefined {
  return typeof value === 'string' ? toNumber(value) : undefined;
}

/**
 * Sign-in fixes. The values are read from the record as logged (named property reads: every sign-in comes here)
 * rather than through the Cows: nothing before sets these keys, and the one top-level key set before
 * (`resultType`, a number made a string) is a non-empty value either way, so the test below decides the same.
 */
function fixSignIn(record: JsonObject, properties: JsonObject, top: Cow, p: Cow): void {
  const status = properties.status;
  let errorCode: unknown;
  if (isObject(status)) {
    errorCode = status.errorCode;
    if (typeof errorCode === 'string') {
      const n = toNumber(errorCode);
      if (n !== undefined) {
        errorCode = n;
        p.set('status', { ...status, errorCode: n });
      }
    }
  }
  const resultType = record.resultType;
  if ((resultType === undefined || resultType === null || resultType === '') && typeof errorCode === 'number') {
    top.set('resultType', String(errorCode));
  }
  const processing = numberFromString(properties.processingTimeInMilliseconds);
  if (processing !== undefined) p.set('processingTimeInMilliseconds', processing);
  const asn = numberFromString(properties.autonomousSystemNumber);
  if (asn !== undefined) p.set('autonomousSystemNumber', asn);
  const interactive = properties.isInteractive;
  if (typeof interactive === 'string') {
    const b = toBoolean(interactive);
    if (b !== undefined) p.set('isInteractive', b);
  }
  const policies = fixConditionalAccess(properties.appliedConditionalAccessPolicies);
  if (policies) p.set('appliedConditionalAccessPolicies', policies);
}

function auditResult(value: unknown): string | undefined {
  if (typeof value === 'number') return value === 0 ? 'success' : 'failure';
  if (typeof value === 'string' && value.length > 0) return value.toLowerCase();
  return undefined;
}

/** Legacy targetResourceType "UPN__TenantContextID__PUID__ObjectID__ObjectClass" + targetResourceName "a__b__c__d__e". */
function legacyTarget(p: JsonObject, modified: JsonObject[] | undefined): JsonObject | undefined {
  const types = typeof p.targetResourceType === 'string' ? p.targetResourceType.split('__') : [];
  const names = typeof p.targetResourceName === 'string' ? p.targetResourceName.split('__') : [];
  if (types.length === 0 && names.length === 0 && !modified) return undefined;
  const target: JsonObject = {};
  for (let i = 0; i < types.length && i < names.length; i++) {
    const value = names[i];
    if (!value) continue;
    switch (types[i]) {
      case 'UPN':
        target.userPrincipalName = value;
        break;
      case 'ObjectID':
        target.id = value;
        break;
      case 'ObjectClass':
        target.type = value;
        break;
      case 'Name':
        target.displayName = value;
        break;
    }
  }
  if (target.displayName === undefined && target.userPrincipalName !== undefined) target.displayName = target.userPrincipalName;
  if (modified) {
    target.modifiedProperties = modified.map((e) => ({
      displayName: e.Name ?? e.name,
      oldValue: e.OldValue ?? e.oldValue,
      newValue: e.NewValue ?? e.newValue,
      oldValueParsed: e.oldValueParsed,
      newValueParsed: e.newValueParsed,
    }));
  }
  return target;
}

function fixLegacyAudit(top: Cow, p: Cow): void {
  const modified = parseTargetUpdatedProperties(p.get('targetUpdatedProperties'));
  if (modified) p.set('targetUpdatedProperties', modified);
  if (p.get('activityDisplayName') === undefined && typeof top.get('operationName') === 'string') {
    p.set('activityDisplayName', top.get('operationName'));
  }
  if (p.get('activityDateTime') === undefined && top.get('time') !== undefined) p.set('activityDateTime', top.get('time'));
  if (p.get('category') === undefined && p.get('auditEventCategory') !== undefined) p.set('category', p.get('auditEventCategory'));
  if (p.get('result') === undefined) {
    const r = auditResult(top.get('resultType'));
    if (r !== undefined) p.set('result', r);
  }
  if (p.get('correlationId') === undefined && top.get('correlationId') !== undefined) p.set('correlationId', top.get('correlationId'));
  if (p.get('initiatedBy') === undefined) {
    const identity = text(top.get('identity'));
    if (identity !== undefined && identity !== 'NA') {
      p.set('initiatedBy', p.get('identityType') === 'UPN' ? { user: { userPrincipalName: identity } } : { app: { displayName: identity } });
    }
  }
  if (p.get('targetResources') === undefined) {
    const target = legacyTarget(p.value, modified);
    if (target) p.set('targetResources', [target]);
  }
}

function fixAudit(top: Cow, p: Cow, legacy: boolean): void {
  if (legacy) fixLegacyAudit(top, p);
  const result = p.get('result');
  if (result !== undefined && typeof result !== 'string') {
    const r = auditResult(result);
    if (r !== undefined) p.set('result', r);
  } else if (typeof result === 'string' && result !== lowerCase(result)) {
    p.set('result', lowerCase(result));
  }
  const targets = p.get('targetResources');
  if (hasModifiedProperties(targets)) p.set('targetResources', withParsedTargetResources(targets));
}

/** Some target has a non-empty modifiedProperties list (empty lists need no parsed values: no copy then). */
function hasModifiedProperties(targets: unknown): boolean {
  if (!Array.isArray(targets)) return false;
  for (let i = 0; i < targets.length; i++) {
    const t: unknown = targets[i];
    if (isObject(t) && Array.isArray(t.modifiedProperties) && t.modifiedProperties.length > 0) return true;
  }
  return false;
}

/**
 * Canonical fields of an Azure Monitor shaped record whose category is known.
 * `properties` must already be an object (normalizeRecord checks).
 */
export function canonicalFields(record: JsonObject, properties: JsonObject, category: string, kind: EventKind): JsonObject {
  const top = new Cow(record);
  const p = new Cow(properties);
  const legacy = kind === 'audit' && (record.category === 'Audit' || properties.targetUpdatedProperties !== undefined);
  if (record.category !== category) top.set('category', category);
  if (typeof record.Level !== 'number') {
    const level = levelNumber(record.Level ?? record.level);
    if (level !== undefined) top.set('Level', level);
  }
  if (typeof record.durationMs === 'string') {
    const n = toNumber(record.durationMs);
    if (n !== undefined) top.set('durationMs', n);
  }
  if (typeof record.resultType === 'number') top.set('resultType', String(record.resultType));
  if (kind === 'signin') fixSignIn(record, properties, top, p);
  else if (kind === 'audit') fixAudit(top, p, legacy);
  if (p.changed || record.properties !== properties) top.set('properties', p.value);
  return top.value;
}

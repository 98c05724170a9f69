/**
 * The one field-mapping table (DESIGN decision 2): Log Analytics / SigmaHQ column names -> paths of the canonical
 * record (`event.fields`, the Azure Monitor diagnostic-settings shape). Keys are lowercase; lookups ignore case.
 *
 * A mapping is a list of targets and a way to combine them:
 * - `first`: the values of the first target that has any (aliases of one datum that some formats lack,
 *   e.g. ResultType = properties.status.errorCode, else the top-level resultType string);
 * - `all`: the values of every target (a Log Analytics column that packs several record fields,
 *   e.g. Status = errorCode, failureReason, additionalDetails).
 * A target is `fields.<path>`, `cim.<name>` or a derived value `derived:<name>` (see DERIVED_VALUES).
 * A name whose first segment is a column (`DeviceDetail.isCompliant`) maps the first segment and keeps the rest
 * (only for single-target mappings).
 */

export interface FieldMapping {
  combine: 'first' | 'all';
  targets: readonly string[];
}

const one = (target: string): FieldMapping => ({ combine: 'first', targets: [target] });
const first = (...targets: string[]): FieldMapping => ({ combine: 'first', targets });
const all = (...targets: string[]): FieldMapping => ({ combine: 'all', targets });

const ACTIVITY = first('fields.properties.activityDisplayName', 'fields.operationName');
const ERROR_CODE = first('fields.properties.status.errorCode', 'fields.resultType');

/** Log Analytics (SigninLogs, AADNonInteractiveUserSignInLogs, AuditLogs, AADRiskyUsers...) and SigmaHQ names. */
export const FIELD_MAPPINGS: Readonly<Record<string, FieldMapping>> = {
  // sign-in and audit common columns
  timegenerated: one('fields.time'),
  operationname: one('fields.operationName'),
  operationversion: one('fields.operationVersion'),
  category: first('fields.properties.category', 'fields.category'),
  resulttype: ERROR_CODE,
  resultsignature: one('fields.resultSignature'),
  resultdescription: first('fields.resultDescription', 'fields.properties.status.failureReason'),
  durationms: one('fields.durationMs'),
  correlationid: first('fields.properties.correlationId', 'fields.correlationId'),
  identity: one('fields.identity'),
  tenantid: one('fields.tenantId'),
  level: one('fields.Level'),
  // sign-in columns
  status: all(
    'fields.properties.status.errorCode',
    'fields.properties.status.failureReason',
    'fields.properties.status.additionalDetails',
    'derived:signinStatusText',
  ),
  errorcode: one('fields.properties.status.errorCode'),
  failurereason: one('fields.properties.status.failureReason'),
  authenticationrequirement: one('fields.properties.authenticationRequirement'),
  authenticationprotocol: one('fields.properties.authenticationProtocol'),
  authenticationdetails: one('fields.properties.authenticationDetails'),
  clientapp: one('fields.properties.clientAppUsed'),
  clientappused: one('fields.properties.clientAppUsed'),
  devicedetail: one('fields.properties.deviceDetail'),
  riskstate: one('fields.properties.riskState'),
  riskdetail: one('fields.properties.riskDetail'),
  risklevel: one('fields.properties.riskLevel'),
  risklevelaggregated: one('fields.properties.riskLevelAggregated'),
  risklevelduringsignin: one('fields.properties.riskLevelDuringSignIn'),
  riskeventtypes: one('fields.properties.riskEventTypes'),
  riskeventtypes_v2: one('fields.properties.riskEventTypes_v2'),
  riskeventtype: one('fields.properties.riskEventType'),
  resourcedisplayname: one('fields.properties.resourceDisplayName'),
  username: one('fields.properties.userPrincipalName'),
  userprincipalname: one('fields.properties.userPrincipalName'),
  userdisplayname: one('fields.properties.userDisplayName'),
  userid: one('fields.properties.userId'),
  appdisplayname: one('fields.properties.appDisplayName'),
  appid: one('fields.properties.appId'),
  ipaddress: first('fields.properties.ipAddress', 'fields.callerIpAddress'),
  location: one('fields.location'),
  locationdetails: one('fields.properties.location'),
  useragent: one('fields.properties.userAgent'),
  conditionalaccessstatus: one('fields.properties.conditionalAccessStatus'),
  conditionalaccesspolicies: one('fields.properties.appliedConditionalAccessPolicies'),
  isinteractive: one('fields.properties.isInteractive'),
  // audit columns
  activitydisplayname: ACTIVITY,
  'properties.message': ACTIVITY,
  activitydatetime: one('fields.properties.activityDateTime'),
  loggedbyservice: one('fields.properties.loggedByService'),
  operationtype: one('fields.properties.operationType'),
  result: one('fields.properties.result'),
  resultreason: one('fields.properties.resultReason'),
  initiatedby: one('fields.properties.initiatedBy'),
  targetresources: one('fields.properties.targetResources'),
  additionaldetails: one('fields.properties.additionalDetails'),
};

/** Top-level keys of the canonical record: a path starting with one of them is taken as written. */
export const RECORD_TOP_LEVEL_KEYS: ReadonlySet<string> = new Set([
  'time',
  'resourceid',
  'operationname',
  'operationversion',
  'category',
  'tenantid',
  'resulttype',
  'resultsignature',
  'resultdescription',
  'durationms',
  'calleripaddress',
  'correlationid',
  'identity',
  'level',
  'location',
  'properties',
]);

/**
 * Targets whose exact values the rule index prefers (DESIGN decision 3): the activity name and the error code.
 * An accessor is `indexable` (preferred) when every one of its targets is in this set.
 */
export const INDEXABLE_TARGETS: ReadonlySet<string> = new Set([
  'fields.operationName',
  'fields.properties.activityDisplayName',
  'fields.properties.status.errorCode',
  'fields.resultType',
]);

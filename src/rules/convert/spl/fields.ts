/**
 * Rule field names -> Splunk field names over `azure:monitor:aad` events (the raw Azure Monitor record, indexed as
 * JSON, as ESCU reads it): the same resolution as the stream (src/rules/fields), then
 * - record paths keep the record's own spelling (Splunk field names are case-sensitive: `resultdescription` ->
 *   `resultDescription`) and arrays get Splunk's `{}` (`properties.targetResources{}.modifiedProperties{}.newValue`);
 * - CIM names (`cim.user`) become the field the Splunk Add-on for Microsoft Cloud Services extracts (`user`), or
 *   the raw path for the few extras only entrawatch computes (`error_code` -> properties.status.errorCode);
 * - `entrawatch.<name>` enricher fields become `entrawatch_<name>`, computed in SPL by the macro
 *   `entrawatch_enrich_<name>` (splunk-app macros.conf);
 * - the derived sign-in status text (Log Analytics `Status`) is computed by an eval.
 */
import { resolveFieldName } from '../../fields/index.js';
import { SplConversionError } from './errors.js';

/** A field a converted condition reads: one or more Splunk field names and how they combine. */
export interface SplField {
  /** `first`: the first field that has a value decides; `all`: any of them */
  combine: 'first' | 'all';
  names: string[];
  /** prelude steps (ids in PRELUDES / enrichment macros) needed before the field exists */
  needs: string[];
}

/** Keys of the Azure Monitor Entra records, by lowercase name: their spelling, and whether they hold arrays. */
const KNOWN_KEYS: ReadonlyArray<[string, boolean?]> = [
  ['time'], ['resourceId'], ['operationName'], ['operationVersion'], ['category'], ['tenantId'], ['resultType'],
  ['resultSignature'], ['resultDescription'], ['durationMs'], ['callerIpAddress'], ['correlationId'], ['identity'],
  ['Level'], ['location'], ['properties'],
  // sign-ins
  ['id'], ['createdDateTime'], ['userDisplayName'], ['userPrincipalName'], ['userId'], ['userType'], ['appId'],
  ['appDisplayName'], ['ipAddress'], ['status'], ['errorCode'], ['failureReason'], ['additionalDetails', true],
  ['clientAppUsed'], ['userAgent'], ['deviceDetail'], ['deviceId'], ['displayName'], ['operatingSystem'],
  ['browser'], ['isCompliant'], ['isManaged'], ['trustType'], ['city'], ['state'], ['countryOrRegion'],
  ['geoCoordinates'], ['conditionalAccessStatus'], ['appliedConditionalAccessPolicies', true], ['isInteractive'],
  ['tokenIssuerType'], ['tokenIssuerName'], ['authenticationProcessingDetails', true], ['networkLocationDetails', true],
  ['processingTimeInMilliseconds'], ['riskDetail'], ['riskLevel'], ['riskLevelAggregated'], ['riskLevelDuringSignIn'],
  ['riskState'], ['riskEventTypes', true], ['riskEventTypes_v2', true], ['resourceDisplayName'], ['resourceTenantId'],
  ['authenticationMethodsUsed', true], ['authenticationDetails', true], ['authenticationStepDateTime'],
  ['authenticationMethod'], ['authenticationMethodDetail'], ['succeeded'], ['authenticationStepResultDetail'],
  ['authenticationStepRequirement'], ['authenticationRequirement'], ['authenticationProtocol'],
  ['authenticationRequirementPolicies', true], ['crossTenantAccessType'], ['homeTenantId'], ['servicePrincipalId'],
  ['servicePrincipalName'], ['uniqueTokenIdentifier'], ['incomingTokenType'], ['signInEventTypes', true],
  ['enforcedGrantControls', true], ['enforcedSessionControls', true], ['result'], ['autonomousSystemNumber'],
  // audits
  ['activityDateTime'], ['activityDisplayName'], ['key'], ['value'], ['initiatedBy'], ['user'], ['app'],
  ['loggedByService'], ['operationType'], ['resultReason'], ['targetResources', true], ['type'], ['groupType'],
  ['modifiedProperties', true], ['oldValue'], ['newValue'],
  // risk
  ['riskEventType'], ['detectionTimingType'], ['riskType'], ['source'], ['activity'],
];

const KEYS = new Map(KNOWN_KEYS.map(([name, array]) => [name.toLowerCase(), { name, array: array === true }]));

/** `properties.targetResources.modifiedProperties.newValue` -> `properties.targetResources{}.modifiedProperties{}.newValue` */
export function splunkRecordPath(path: string): string {
  const segments = path.split('.').filter((p) => p !== '');
  return segments
    .map((segment, i) => {
      const bare = segment.replace(/\{\}$/, '');
      const known = KEYS.get(bare.toLowerCase());
      const name = known?.name ?? bare;
      // additionalDetails is a list of {key, value} under properties (audits) but a string under status (sign-ins)
      const array = known?.array === true && !(name === 'additionalDetails' && segments[i - 1]?.toLowerCase() !== 'properties');
      return array || segment.endsWith('{}') ? `${name}{}` : name;
    })
    .join('.');
}

/** CIM fields the add-on does not extract for azure:monitor:aad but entrawatch computes: their raw path. */
const CIM_TO_RECORD: Record<string, string> = {
  error_code: 'properties.status.errorCode',
  app_id: 'properties.appId',
  country: 'properties.location.countryOrRegion',
  city: 'properties.location.city',
  is_interactive: 'properties.isInteractive',
  authentication_protocol: 'properties.authenticationProtocol',
  result: 'properties.result',
};

/** Prelude steps the converter can add before filtering, by id. */
export const PRELUDES: Record<string, string> = {
  status_text:
    "eval ew_status_text=case('properties.status.errorCode'==0, \"Success\", isnotnull('properties.status.errorCode'), \"Failure\")",
};

/** The macro that computes an `entrawatch.<name>` enricher field in SPL (defined in the app's macros.conf). */
export function enrichMacroName(name: string): string {
  return `entrawatch_enrich_${name}`;
}

function target(t: string, needs: Set<string>): string {
  if (t.startsWith('derived:')) {
    if (t === 'derived:signinStatusText') {
      needs.add('status_text');
      return 'ew_status_text';
    }
    throw new SplConversionError(`derived field ${t} has no SPL form`);
  }
  if (t.startsWith('cim.')) {
    const name = t.slice(4);
    return CIM_TO_RECORD[name.toLowerCase()] ?? name;
  }
  return splunkRecordPath(t.replace(/^fields\./, ''));
}

/** Resolves a rule's field name to the Splunk fields it reads. */
export function splFieldFor(ruleField: string): SplField {
  const trimmed = ruleField.trim();
  const m = /^(?:fields\.)?entrawatch\.([A-Za-z0-9_]+)$/i.exec(trimmed);
  if (m) {
    const name = m[1]!.toLowerCase();
    return { combine: 'first', names: [`entrawatch_${name}`], needs: [`enrich:${name}`] };
  }
  const mapping = resolveFieldName(trimmed);
  const needs = new Set<string>();
  const names = [...new Set(mapping.targets.map((t) => target(t, needs)))];
  return { combine: mapping.combine, names, needs: [...needs] };
}

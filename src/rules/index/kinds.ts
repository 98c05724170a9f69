/**
 * Which event kinds a rule can match, from its logsource. `product` must be azure (or absent; `entra`, `azuread`,
 * `entra_id` and `azure_ad` are read as azure): a rule for another product (windows, aws, ...) never matches an
 * Entra event and is never a candidate. `service` picks the kind: signinlogs -> signin, auditlogs and pim ->
 * audit, riskdetection -> risk, activitylogs -> other; no service, or one not listed, -> every kind.
 */
import type { EventKind } from '../../normalize/event.js';
import type { RuleMeta } from '../types.js';

export const EVENT_KINDS: readonly EventKind[] = ['signin', 'audit', 'risk', 'other'];

const AZURE_PRODUCTS = new Set(['azure', 'entra', 'entraid', 'entra_id', 'azuread', 'azure_ad', 'aad']);

const SERVICE_KINDS: Record<string, readonly EventKind[]> = {
  signinlogs: ['signin'],
  noninteractiveusersigninlogs: ['signin'],
  serviceprincipalsigninlogs: ['signin'],
  managedidentitysigninlogs: ['signin'],
  auditlogs: ['audit'],
  pim: ['audit'],
  riskdetection: ['risk'],
  riskyusers: ['risk'],
  userriskevents: ['risk'],
  activitylogs: ['other'],
};

export function kindsForLogsource(logsource: RuleMeta['logsource']): readonly EventKind[] {
  const product = logsource.product?.trim().toLowerCase();
  if (product !== undefined && product !== '' && !AZURE_PRODUCTS.has(product)) return [];
  const service = logsource.service?.trim().toLowerCase();
  if (service === undefined || service === '') return EVENT_KINDS;
  return SERVICE_KINDS[service] ?? EVENT_KINDS;
}

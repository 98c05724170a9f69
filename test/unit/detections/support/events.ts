/**
 * EntraEvents for the enricher tests: records from the fixture builders, normalized by the real normalizer.
 */
import { normalizeRecord } from '../../../../src/normalize/index.js';
import type { EntraEvent } from '../../../../src/normalize/event.js';

export function toEvent(record: Record<string, unknown>): EntraEvent {
  return normalizeRecord({ record, format: 'azure-monitor', origin: { source: 'test' } });
}

export function derived(event: EntraEvent): Record<string, unknown> {
  return (event.fields['entrawatch'] ?? {}) as Record<string, unknown>;
}

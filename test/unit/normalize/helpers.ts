// Test helpers: build DecodedRecords and normalize them; read the fixture files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DecodedRecord } from '../../../src/decode/index.js';
import type { EntraEvent, RecordFormat } from '../../../src/normalize/event.js';
import { normalizeRecord } from '../../../src/normalize/index.js';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/records');

export function fixtureRecord(file: string): Record<string, unknown> {
  const doc = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as { records?: unknown[]; value?: unknown[] };
  return (doc.records ?? doc.value ?? [])[0] as Record<string, unknown>;
}

export function norm(record: unknown, format: RecordFormat = 'azure-monitor', source = 'test'): EntraEvent {
  return normalizeRecord({ record, format, origin: { source } } as DecodedRecord);
}

/** A deep copy with changes applied by `edit`. */
export function variant<T>(value: T, edit: (copy: T) => void): T {
  const copy = structuredClone(value);
  edit(copy);
  return copy;
}

/**
 * Collects the generated records per output stream, guarantees that every record id is unique, and keeps the
 * planted scenarios (row, expected outcome, description, event ids) that become samples/manifest.json.
 */
import type { BuiltRecord } from './signin-record.js';

export type Stream = 'signin' | 'noninteractive' | 'serviceprincipal' | 'audit' | 'history';

export interface SampleRecord extends BuiltRecord {
  stream: Stream;
  /** true when a scenario planted it (background never sets it) */
  planted: boolean;
}

export type Expectation = 'fire' | 'no-fire';

export interface Scenario {
  row: string;
  expect: Expectation;
  description: string;
  eventIds: string[];
}

export class SampleSet {
  readonly records: SampleRecord[] = [];
  readonly scenarios: Scenario[] = [];
  private readonly ids = new Set<string>();

  add(stream: Stream, built: BuiltRecord, planted = false): string {
    if (this.ids.has(built.id)) {
      throw new Error(`sample generator produced the record id ${built.id} twice; change the generator so ids stay unique`);
    }
    this.ids.add(built.id);
    this.records.push({ ...built, stream, planted });
    return built.id;
  }

  /** Adds a planted record and returns its id. */
  plant(stream: Stream, built: BuiltRecord): string {
    return this.add(stream, built, true);
  }

  scenario(row: string, expect: Expectation, description: string, eventIds: string[]): void {
    if (eventIds.length === 0) throw new Error(`scenario ${row} (${expect}) has no event ids`);
    this.scenarios.push({ row, expect, description, eventIds });
  }

  byStream(stream: Stream): SampleRecord[] {
    return this.records.filter((r) => r.stream === stream);
  }
}

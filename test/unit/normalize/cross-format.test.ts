// The same sign-in and the same audit event, exported three ways (Event Hubs record, Graph JSON, portal CSV),
// normalize to the same CIM values, field by field; the CSV sign-in read with its AuthDetails download (as `scan`
// joins them) also has the authentication steps of the Event Hubs record.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodePath, type DecodeResult } from '../../../src/decode/index.js';
import type { EntraEvent } from '../../../src/normalize/event.js';
import { normalizeRecord } from '../../../src/normalize/index.js';
import { AuthDetailsJoin } from '../../../src/scan/auth-details-join.js';
import { readInputsByEventTime } from '../../../src/scan/merged-inputs.js';
import { FIXTURES } from './helpers.js';

async function eventOf(file: string): Promise<EntraEvent> {
  const results: DecodeResult[] = [];
  for await (const r of decodePath(join(FIXTURES, file))) results.push(r);
  expect(results).toHaveLength(1);
  const [r] = results;
  if (!r.ok) throw r.error;
  return normalizeRecord(r);
}

/** The sign-in CSV and its AuthDetails download, read as `scan` reads them: the one event they make. */
async function joinedCsvSignIn(): Promise<EntraEvent> {
  const events: EntraEvent[] = [];
  const paths = ['InteractiveSignIns_2024-03-12_2024-03-13.csv', 'InteractiveSignIns_AuthDetails_2024-03-12_2024-03-13.csv'];
  for await (const item of readInputsByEventTime(paths.map((f) => join(FIXTURES, f)), { authDetails: new AuthDetailsJoin() })) {
    if (item.kind === 'bad') throw new Error(item.bad.reason);
    events.push(item.event);
  }
  expect(events).toHaveLength(1);
  return events[0];
}

/**
 * What a portal CSV cannot carry (everything else must be equal):
 * - audit `id`: the documented audit CSV has no Id column, so the event id is a hash of the row.
 * - sign-ins: nothing. No CIM field comes from the authentication steps: the add-on maps `authentication_method`
 *   from properties.isInteractive ("Interactive" / "nonInteractive"), which the CSV tells by its file name. The
 *   steps themselves (properties.authenticationDetails, read by rules such as PA-6) are in the AuthDetails
 *   download, not in the sign-in CSV: read with it, the CSV sign-in has them too (tested below).
 * Time: CSV and Graph downloads give whole seconds, the Event Hubs record 100 ns ticks.
 */
const CSV_CANNOT_CARRY: Record<'signin' | 'audit', string[]> = { signin: [], audit: ['id'] };

describe.each([
  ['signin', 'signin.eventhubs.json', 'signin.graph.json', 'InteractiveSignIns_2024-03-12_2024-03-13.csv'],
  ['audit', 'audit.eventhubs.json', 'audit.graph.json', 'AuditLogs_2024-03-12_2024-03-13.csv'],
] as const)('the same %s event in three formats', (kind, monitorFile, graphFile, csvFile) => {
  it('has the same kind, category and (to the second) time', async () => {
    const [m, g, c] = await Promise.all([eventOf(monitorFile), eventOf(graphFile), eventOf(csvFile)]);
    expect([m.format, g.format, c.format]).toEqual(['azure-monitor', 'graph', kind === 'signin' ? 'csv-signin' : 'csv-audit']);
    for (const e of [g, c]) {
      expect(e.kind).toBe(kind);
      expect(e.category).toBe(m.category);
      expect(Math.abs(e.time - m.time)).toBeLessThan(1000);
    }
  });

  it('Graph JSON gives every CIM field of the Event Hubs record, with the same value', async () => {
    const [m, g] = await Promise.all([eventOf(monitorFile), eventOf(graphFile)]);
    expect(Object.keys(m.cim).length).toBeGreaterThan(20);
    for (const field of Object.keys(m.cim)) expect({ field, value: g.cim[field] }).toEqual({ field, value: m.cim[field] });
    expect(Object.keys(g.cim).sort()).toEqual(Object.keys(m.cim).sort());
    expect(g.id).toBe(m.id);
  });

  it('portal CSV gives the same CIM values except the documented few', async () => {
    const [m, c] = await Promise.all([eventOf(monitorFile), eventOf(csvFile)]);
    const missing = CSV_CANNOT_CARRY[kind];
    for (const field of Object.keys(m.cim)) {
      if (missing.includes(field)) continue;
      expect({ field, value: c.cim[field] }).toEqual({ field, value: m.cim[field] });
    }
    expect(Object.keys(c.cim).sort()).toEqual(Object.keys(m.cim).filter((f) => !missing.includes(f)).sort());
  });

  it('the canonical fields agree on the paths rules use', async () => {
    const events = await Promise.all([eventOf(monitorFile), eventOf(graphFile), eventOf(csvFile)]);
    const pick = (e: EntraEvent) => {
      const f = e.fields as Record<string, any>;
      const p = f.properties;
      return kind === 'signin'
        ? [f.category, f.operationName, f.resultType, f.callerIpAddress, p.status.errorCode, p.userPrincipalName, p.appDisplayName, p.location.countryOrRegion]
        : [f.category, f.operationName, f.callerIpAddress, p.result, p.loggedByService, p.targetResources[0].modifiedProperties.map((m: any) => m.newValueParsed)];
    };
    expect(pick(events[1])).toEqual(pick(events[0]));
    expect(pick(events[2])).toEqual(pick(events[0]));
  });
});

describe('the same sign-in as portal CSV with its AuthDetails download', () => {
  it('gives every CIM field of the Event Hubs record, with the same value, authentication fields included', async () => {
    const [m, c] = await Promise.all([eventOf('signin.eventhubs.json'), joinedCsvSignIn()]);
    expect(c.format).toBe('csv-signin');
    for (const field of Object.keys(m.cim)) expect({ field, value: c.cim[field] }).toEqual({ field, value: m.cim[field] });
    expect(Object.keys(c.cim).sort()).toEqual(Object.keys(m.cim).sort());
    expect(c.cim).toMatchObject({ authentication_method: 'Interactive', is_interactive: true, action: 'failure', signature_id: '50126' });
  });

  it('has the authentication steps of the Event Hubs record, which the sign-in CSV alone lacks', async () => {
    const [m, alone, c] = await Promise.all([eventOf('signin.eventhubs.json'), eventOf('InteractiveSignIns_2024-03-12_2024-03-13.csv'), joinedCsvSignIn()]);
    const steps = (e: EntraEvent) => (e.fields.properties as { authenticationDetails?: unknown }).authenticationDetails;
    expect(steps(alone)).toBeUndefined();
    expect(steps(m)).toHaveLength(1);
    expect(steps(c)).toEqual(steps(m));
    expect(c.id).toBe(m.id);
  });
});

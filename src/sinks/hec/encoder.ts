/**
 * Turns an OutputItem into one HEC event envelope (JSON text), as decision 8 says: a raw Entra record goes
 * unchanged as `event`, sourcetype azure:monitor:aad, `time` from the record (epoch seconds with decimals);
 * a detection goes as its JSON, sourcetype entrawatch:detection, `time` = detection time. Optional index-time
 * `fields` carry the CIM values named in `indexedFields` (strings or lists of strings, as HEC wants them).
 */
import type { CimFields } from '../../normalize/event.js';
import type { OutputItem } from '../types.js';
import type { HecSinkConfig } from './config.js';

export type HecEncoderSettings = Pick<
  HecSinkConfig,
  'index' | 'detectionIndex' | 'host' | 'source' | 'sourcetype' | 'detectionSourcetype' | 'indexedFields'
>;

/** The envelope HEC's /services/collector/event takes. Key order is the order written. */
export interface HecEventEnvelope {
  time?: number;
  host?: string;
  source?: string;
  sourcetype?: string;
  index?: string;
  event: unknown;
  fields?: Record<string, string | string[]>;
}

/** epoch ms -> epoch seconds with up to 3 decimals (1433188255500 -> 1433188255.5) */
export function hecTime(epochMs: number): number | undefined {
  return Number.isFinite(epochMs) ? epochMs / 1000 : undefined;
}

function indexedFieldsOf(cim: Record<string, unknown>, names: string[]): Record<string, string | string[]> | undefined {
  if (names.length === 0) return undefined;
  let out: Record<string, string | string[]> | undefined;
  for (const name of names) {
    const v = cim[name];
    if (v === undefined || v === null || v === '') continue;
    const value = Array.isArray(v) ? v.map((x) => String(x)) : String(v);
    (out ??= {})[name] = value;
  }
  return out;
}

export function hecEnvelopeOf(item: OutputItem, s: HecEncoderSettings): HecEventEnvelope {
  const env: HecEventEnvelope = { event: undefined };
  if (item.type === 'event') {
    const e = item.event;
    env.time = hecTime(e.time);
    if (s.host !== undefined) env.host = s.host;
    env.source = s.source;
    env.sourcetype = s.sourcetype;
    if (s.index !== undefined) env.index = s.index;
    env.event = e.raw;
    const fields = indexedFieldsOf(e.cim as CimFields, s.indexedFields);
    if (fields) env.fields = fields;
  } else {
    const d = item.detection;
    env.time = hecTime(d.time);
    if (s.host !== undefined) env.host = s.host;
    env.source = s.source;
    env.sourcetype = s.detectionSourcetype;
    const index = s.detectionIndex ?? s.index;
    if (index !== undefined) env.index = index;
    env.event = d;
    const fields = indexedFieldsOf(d.cim as unknown as Record<string, unknown>, s.indexedFields);
    if (fields) env.fields = fields;
  }
  if (env.time === undefined) delete env.time;
  return env;
}

/** One HEC event as JSON text (no trailing newline). Throws when the item cannot be serialized (cycles, BigInt). */
export function encodeHecEvent(item: OutputItem, s: HecEncoderSettings): string {
  return JSON.stringify(hecEnvelopeOf(item, s));
}

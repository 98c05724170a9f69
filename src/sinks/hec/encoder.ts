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
  const isEvent = item.type === 'event';
  const time = hecTime(isEvent ? item.event.time : item.detection.time);
  const index = isEvent ? s.index : (s.detectionIndex ?? s.index);
  const cim = (isEvent ? item.event.cim : item.detection.cim) as CimFields;
  const fields = indexedFieldsOf(cim, s.indexedFields);
  // built in the order HEC documents it: time, host, source, sourcetype, index, event, fields
  const env: Partial<HecEventEnvelope> = {};
  if (time !== undefined) env.time = time;
  if (s.host !== undefined) env.host = s.host;
  env.source = s.source;
  env.sourcetype = isEvent ? s.sourcetype : s.detectionSourcetype;
  if (index !== undefined) env.index = index;
  env.event = isEvent ? item.event.raw : item.detection;
  if (fields) env.fields = fields;
  return env as HecEventEnvelope;
}

/** One HEC event as JSON text (no trailing newline). Throws when the item cannot be serialized (cycles, BigInt). */
export function encodeHecEvent(item: OutputItem, s: HecEncoderSettings): string {
  return JSON.stringify(hecEnvelopeOf(item, s));
}

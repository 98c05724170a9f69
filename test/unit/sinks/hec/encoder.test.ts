/** EntraEvent / Detection -> HEC envelope (decision 8): raw record unchanged, time in epoch seconds. */
import { describe, expect, it } from 'vitest';
import { validateHecSinkConfig } from '../../../../src/sinks/hec/config.js';
import { encodeHecEvent, hecEnvelopeOf, hecTime } from '../../../../src/sinks/hec/encoder.js';
import { detection, signInEvent } from '../../../integration/hec/fixtures.js';

const base = validateHecSinkConfig({ urls: ['https://x:8088'], token: 't' });

describe('HEC encoder', () => {
  it('sends a raw record unchanged with sourcetype azure:monitor:aad and the record time in seconds', () => {
    const e = signInEvent(3);
    const json = encodeHecEvent({ type: 'event', event: e }, { ...base, index: 'entra', host: 'worker-1' });
    expect(json).toBe(
      JSON.stringify({ time: 1_700_000_003.003, host: 'worker-1', source: 'entrawatch', sourcetype: 'azure:monitor:aad', index: 'entra', event: e.raw }),
    );
  });
  it('leaves out index, host and fields when not configured', () => {
    const env = hecEnvelopeOf({ type: 'event', event: signInEvent(1) }, base);
    expect(Object.keys(env)).toEqual(['time', 'source', 'sourcetype', 'event']);
  });
  it('sends a detection as its JSON, sourcetype entrawatch:detection, detection index, detection time', () => {
    const d = detection(2);
    const env = hecEnvelopeOf({ type: 'detection', detection: d }, { ...base, index: 'entra', detectionIndex: 'alerts' });
    expect(env).toEqual({ time: 1_700_000_120.25, source: 'entrawatch', sourcetype: 'entrawatch:detection', index: 'alerts', event: d });
    expect(hecEnvelopeOf({ type: 'detection', detection: d }, { ...base, index: 'entra' }).index).toBe('entra');
  });
  it('puts the named CIM fields in `fields` as strings or lists of strings', () => {
    const e = signInEvent(5);
    e.cim.duration = 1.5;
    e.cim.category = ['a', 'b'];
    const env = hecEnvelopeOf({ type: 'event', event: e }, { ...base, indexedFields: ['user', 'duration', 'category', 'absent'] });
    expect(env.fields).toEqual({ user: 'user5@contoso.example', duration: '1.5', category: ['a', 'b'] });
  });
  it('writes times exactly (ms -> s with decimals)', () => {
    expect(hecTime(1_433_188_255_500)).toBe(1_433_188_255.5);
    expect(JSON.stringify(hecTime(1_700_000_000_123))).toBe('1700000000.123');
    expect(hecTime(Number.NaN)).toBeUndefined();
  });
  it('throws on items that cannot be JSON (the sink rejects them with the reason)', () => {
    const e = signInEvent(1);
    (e.raw as Record<string, unknown>).self = e.raw;
    expect(() => encodeHecEvent({ type: 'event', event: e }, base)).toThrow();
  });
});

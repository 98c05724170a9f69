/**
 * Fault settings of the HEC test receiver (changed at runtime with `receiver.faults.set`) and the seeded random
 * generator that decides which request gets which fault, so a failing test replays the same way.
 */

export interface HecFaultSettings {
  /** fraction (0..1) of data requests answered 503 {"text":"Server is busy","code":9} */
  busyRate?: number;
  /** fraction of data requests answered 500 {"text":"Internal server error","code":8} */
  serverErrorRate?: number;
  /** fraction of data requests answered 413 (as if the body were too large) */
  tooLargeRate?: number;
  /** fraction of data requests whose connection is reset after the body was read (no answer) */
  resetRate?: number;
  /** every answer (data, ack, health) is delayed by this many ms */
  delayMs?: number;
  /** 'refuse': the port refuses connections; 'busy': every request is answered 503 code 9; null: normal */
  outage?: 'refuse' | 'busy' | null;
  /** /services/collector/health answers 503 code 18 */
  unhealthy?: boolean;
  /** the faults above (rates) also hit /services/collector/ack requests */
  faultAckRequests?: boolean;
  /** acks on these channels never turn true and their events are lost (not stored) */
  ackStuckChannels?: string[];
  /** the next N channels seen for the first time get stuck as above */
  ackStuckNextChannels?: number;
  /** an ackId turns true only this many ms after its request was accepted */
  ackDelayMs?: number;
  /** events for which this returns true are refused with 400 code 6 and their `invalid-event-number` */
  rejectEvent?: ((event: Record<string, unknown>) => boolean) | null;
}

/** mulberry32: small, fast, good enough to spread faults; the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

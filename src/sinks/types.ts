/**
 * The delivery contract every sink (HEC, Kafka, syslog, file) keeps: `deliver` resolves only when the sink has
 * the items for good (HEC: acknowledged; Kafka: acks=all; syslog: written and flushed), so the source may commit.
 */
import type { EntraEvent } from '../normalize/event.js';
import type { Detection } from '../rules/types.js';

export type OutputItem =
  | { type: 'event'; event: EntraEvent }
  | { type: 'detection'; detection: Detection };

export interface RejectedItem {
  item: OutputItem;
  /** why the sink refused it for good, e.g. "HEC 400 code 6: Invalid data format" */
  reason: string;
}

export interface DeliveryResult {
  /** items the sink refused for good: the caller dead-letters them; every other item was delivered */
  rejected: RejectedItem[];
}

export interface Sink {
  readonly name: string;
  /** checks the destination (HEC /health, TLS, auth) before consumption starts; throws SinkFatalError when it never can work */
  start(): Promise<void>;
  /**
   * Delivers the items. Retries transient failures itself (backoff with jitter) until `signal` aborts.
   * Resolves with the items refused for good; rejects with SinkFatalError on a configuration error (bad token,
   * missing index) and with an AbortError when `signal` aborted before delivery was confirmed.
   */
  deliver(items: OutputItem[], signal?: AbortSignal): Promise<DeliveryResult>;
  /** flushes what is buffered and releases connections */
  close(): Promise<void>;
}

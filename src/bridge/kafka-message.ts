/**
 * Turns one Event Hubs event into the Kafka message the bridge produces: the body bytes unchanged, the key
 * (the event's partition key, else `<hub>/<partition>` so one Event Hubs partition stays in one Kafka partition,
 * in order), headers saying where it came from, and the enqueued time as the Kafka timestamp.
 */
import type { Message } from 'kafkajs';
import type { SourceEvent } from './event-source.js';

/** Header names the bridge sets (values are UTF-8 strings). Readers may rely on them. */
export const BRIDGE_HEADERS = {
  hub: 'x-eventhubs-hub',
  partition: 'x-eventhubs-partition',
  sequenceNumber: 'x-eventhubs-sequence-number',
  offset: 'x-eventhubs-offset',
  /** ISO 8601, UTC */
  enqueuedTime: 'x-eventhubs-enqueued-time',
  /** only when the event had a partition key */
  partitionKey: 'x-eventhubs-partition-key',
  /** only when the event had a content type */
  contentType: 'content-type',
} as const;

/**
 * The bytes of an event body. Bodies from an AMQP data section (all Azure Monitor messages) arrive as the
 * Buffer that was sent and pass through untouched. Other bodies come from AMQP value/sequence sections that
 * the SDK already decoded: strings are written as UTF-8, byte arrays as they are, null/undefined as an empty
 * value, anything else as JSON (`JSON.stringify`, the inverse of what the SDK parsed).
 */
export function eventBodyBytes(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body === null || body === undefined) return Buffer.alloc(0);
  return Buffer.from(JSON.stringify(body), 'utf8');
}

export function kafkaKeyFor(event: SourceEvent, hub: string, partitionId: string): string {
  return event.partitionKey ? event.partitionKey : `${hub}/${partitionId}`;
}

export function toKafkaMessage(event: SourceEvent, hub: string, partitionId: string): Message {
  const headers: Record<string, string> = {
    [BRIDGE_HEADERS.hub]: hub,
    [BRIDGE_HEADERS.partition]: partitionId,
    [BRIDGE_HEADERS.sequenceNumber]: String(event.sequenceNumber),
    [BRIDGE_HEADERS.offset]: String(event.offset),
    [BRIDGE_HEADERS.enqueuedTime]: event.enqueuedTimeUtc.toISOString(),
  };
  if (event.partitionKey) headers[BRIDGE_HEADERS.partitionKey] = event.partitionKey;
  if (event.contentType) headers[BRIDGE_HEADERS.contentType] = event.contentType;
  return {
    key: kafkaKeyFor(event, hub, partitionId),
    value: eventBodyBytes(event.body),
    headers,
    timestamp: String(event.enqueuedTimeUtc.getTime()),
  };
}

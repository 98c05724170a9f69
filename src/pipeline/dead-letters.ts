/**
 * Writes dead letters (undecodable messages, records that fail to normalize, items a sink refused for good) to the
 * dead-letter topic of their source topic, with headers saying why and from where:
 * `entrawatch-reason`, `entrawatch-source-topic`, `-partition`, `-offset`, `-record-index` (when known; a comma list when one letter holds several undecodable records of a message),
 * `entrawatch-kind` (decode | normalize | sink_rejected) and `entrawatch-sink` for sink rejections.
 * `write` resolves only when the producer confirmed the write with acks=all.
 */
import type { ProducedMessage, ProducerClient } from '../sources/kafka/types.js';
import type { DeadLetterKind } from '../observability/metrics.js';
import { deadLetterTopicFor } from './config.js';

export interface DeadLetter {
  kind: DeadLetterKind;
  reason: string;
  topic: string;
  partition: number;
  offset: string;
  recordIndex?: number;
  /** several records of one message in one letter */
  recordIndexes?: number[];
  sink?: string;
  key: Buffer | string | null;
  value: Buffer | string;
}

export const DEAD_LETTER_HEADERS = {
  reason: 'entrawatch-reason',
  kind: 'entrawatch-kind',
  sink: 'entrawatch-sink',
  sourceTopic: 'entrawatch-source-topic',
  sourcePartition: 'entrawatch-source-partition',
  sourceOffset: 'entrawatch-source-offset',
  recordIndex: 'entrawatch-record-index',
} as const;

/** Header values must stay small; reasons are cut at this many characters. */
const MAX_REASON = 1_000;

export function toProducedMessage(letter: DeadLetter): ProducedMessage {
  const headers: Record<string, string> = {
    [DEAD_LETTER_HEADERS.reason]: letter.reason.slice(0, MAX_REASON),
    [DEAD_LETTER_HEADERS.kind]: letter.kind,
    [DEAD_LETTER_HEADERS.sourceTopic]: letter.topic,
    [DEAD_LETTER_HEADERS.sourcePartition]: String(letter.partition),
    [DEAD_LETTER_HEADERS.sourceOffset]: letter.offset,
  };
  if (letter.recordIndex !== undefined) headers[DEAD_LETTER_HEADERS.recordIndex] = String(letter.recordIndex);
  else if (letter.recordIndexes?.length) headers[DEAD_LETTER_HEADERS.recordIndex] = letter.recordIndexes.join(',');
  if (letter.sink) headers[DEAD_LETTER_HEADERS.sink] = letter.sink;
  return { key: letter.key, value: letter.value, headers };
}

export class DeadLetterWriter {
  constructor(private readonly producer: ProducerClient, private readonly topicTemplate: string) {}

  /** writes the letters, grouped by dead-letter topic; rejects when any write was not confirmed */
  async write(letters: readonly DeadLetter[]): Promise<void> {
    const byTopic = new Map<string, ProducedMessage[]>();
    for (const letter of letters) {
      const topic = deadLetterTopicFor(this.topicTemplate, letter.topic);
      let list = byTopic.get(topic);
      if (!list) byTopic.set(topic, (list = []));
      list.push(toProducedMessage(letter));
    }
    await Promise.all([...byTopic].map(([topic, messages]) => this.producer.send(topic, messages)));
  }
}

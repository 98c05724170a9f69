/**
 * ProducerClient on kafkajs for dead letters: acks=all (-1), idempotent, one in-flight request, so a resolved
 * `send` means every broker in the ISR has the messages.
 */
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { ProducedMessage, ProducerClient } from './types.js';

export class KafkajsProducerClient implements ProducerClient {
  private readonly producer: Producer;

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: true,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  async send(topic: string, messages: ProducedMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.producer.send({ topic, acks: -1, messages });
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}

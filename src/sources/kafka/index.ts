/**
 * The Kafka source: config schema, the small client interface, and its kafkajs implementation.
 */
export * from './types.js';
export { kafkaSourceConfigSchema, kafkaSaslConfigSchema, kafkaSslConfigSchema } from './config.js';
export type { KafkaSourceConfig, KafkaSourceConfigInput } from './config.js';
export { createKafka } from './client.js';
export type { KafkaConnectionConfig } from './client.js';
export { KafkajsConsumerClient } from './kafkajs-consumer.js';
export type { KafkaConsumerOptions } from './kafkajs-consumer.js';
export { KafkajsProducerClient } from './kafkajs-producer.js';

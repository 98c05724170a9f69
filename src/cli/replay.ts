/**
 * `entrawatch replay <paths...> --brokers --topic`: feeds log files into a Kafka topic the way Azure Monitor feeds
 * Event Hubs: records wrapped in diagnostic-settings envelopes {"records":[...]} of up to --records-per-message
 * records, one envelope per Kafka message, inputs merged by event time. For demos (docker compose --profile replay) and load tests.
 */
import { type Command } from 'commander';
import { Kafka, logLevel, CompressionTypes, type Message } from 'kafkajs';
import { readInputsByEventTime } from '../scan/merged-inputs.js';
import { UsageError } from './usage-error.js';

interface ReplayOptions {
  brokers: string;
  topic: string;
  recordsPerMessage: string;
  messagesPerBatch: string;
}

export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description('produce log files into a Kafka topic as Event Hubs envelopes (demo and load testing)')
    .argument('<paths...>', 'files or directories of Entra logs')
    .requiredOption('-b, --brokers <list>', 'comma-separated Kafka brokers, e.g. localhost:9092')
    .requiredOption('-t, --topic <topic>', 'topic to write to')
    .option('--records-per-message <n>', 'records per envelope message', '100')
    .option('--messages-per-batch <n>', 'messages per produce request', '50')
    .action(async (paths: string[], opts: ReplayOptions) => {
      const perMessage = Number(opts.recordsPerMessage);
      const perBatch = Number(opts.messagesPerBatch);
      if (!Number.isInteger(perMessage) || perMessage < 1) throw new UsageError('--records-per-message must be a positive integer');
      if (!Number.isInteger(perBatch) || perBatch < 1) throw new UsageError('--messages-per-batch must be a positive integer');
      const kafka = new Kafka({ clientId: 'entrawatch-replay', brokers: opts.brokers.split(','), logLevel: logLevel.WARN });
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      let records: unknown[] = [];
      let messages: Message[] = [];
      let sentRecords = 0;
      let sentMessages = 0;
      let skipped = 0;
      const flushMessages = async () => {
        if (messages.length === 0) return;
        await producer.send({ topic: opts.topic, acks: -1, compression: CompressionTypes.GZIP, messages });
        sentMessages += messages.length;
        messages = [];
      };
      const wrap = async () => {
        if (records.length === 0) return;
        messages.push({ value: JSON.stringify({ records }) });
        sentRecords += records.length;
        records = [];
        if (messages.length >= perBatch) await flushMessages();
      };
      try {
        // merged by event time, as Azure Monitor would deliver them (files one after another would jump back in time)
        for await (const item of readInputsByEventTime(paths)) {
          if (item.kind === 'bad') {
            skipped++;
            continue;
          }
          records.push(item.event.raw);
          if (records.length >= perMessage) await wrap();
        }
        await wrap();
        await flushMessages();
      } finally {
        await producer.disconnect();
      }
      process.stdout.write(`replayed ${sentRecords} records in ${sentMessages} messages to ${opts.topic}${skipped ? ` (${skipped} unreadable records skipped)` : ''}\n`);
    });
}

import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { SinkFatalError, SinkUnavailableError } from '../../../src/errors.js';
import type { EntraEvent } from '../../../src/normalize/event.js';
import { WorkerMetrics } from '../../../src/observability/metrics.js';
import { DeadLetterWriter, DEAD_LETTER_HEADERS } from '../../../src/pipeline/dead-letters.js';
import { OffsetTracker } from '../../../src/pipeline/offset-tracker.js';
import type { RecordReader } from '../../../src/pipeline/record-reader.js';
import { StreamPipeline, type DetectionEngine } from '../../../src/pipeline/stream-pipeline.js';
import type { Detection } from '../../../src/rules/types.js';
import type { DeliveryResult, OutputItem, Sink } from '../../../src/sinks/types.js';
import type { BatchControl, ProducedMessage, ProducerClient, SourceBatch } from '../../../src/sources/kafka/types.js';

const logger = pino({ level: 'silent' });

function event(id: string, offset: string, index: number): EntraEvent {
  return {
    id,
    time: 0,
    kind: 'signin',
    category: 'SignInLogs',
    raw: { id },
    format: 'azure-monitor',
    cim: {},
    fields: {},
    origin: { source: 'kafka:t', topic: 't', partition: 0, offset, index },
  };
}

/** message value: JSON array of ids; "bad" entries fail to decode, "!" makes the whole message undecodable */
const reader: RecordReader = (body, origin) => {
  const text = body.toString();
  if (text === '!') return { events: [], failures: [{ kind: 'decode', reason: 'not JSON', value: body }] };
  const ids = JSON.parse(text) as string[];
  const events: EntraEvent[] = [];
  const failures: ReturnType<RecordReader>['failures'] = [];
  ids.forEach((id, index) => {
    if (id === 'bad') failures.push({ kind: 'normalize', reason: 'no time', recordIndex: index, value: '"bad"' });
    else events.push(event(id, origin.offset!, index));
  });
  return { events, failures };
};

class ManualSink implements Sink {
  readonly name: string;
  calls: Array<{ items: OutputItem[]; resolve: (r: DeliveryResult) => void; reject: (e: Error) => void }> = [];
  constructor(name = 'manual') {
    this.name = name;
  }
  async start(): Promise<void> {}
  deliver(items: OutputItem[], signal?: AbortSignal): Promise<DeliveryResult> {
    return new Promise((resolve, reject) => {
      this.calls.push({ items, resolve, reject });
      signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
    });
  }
  async close(): Promise<void> {}
}

class RecordingProducer implements ProducerClient {
  sent: Array<{ topic: string; messages: ProducedMessage[] }> = [];
  failures = 0;
  async connect(): Promise<void> {}
  async send(topic: string, messages: ProducedMessage[]): Promise<void> {
    if (this.failures > 0) {
      this.failures--;
      throw new Error('broker not available');
    }
    this.sent.push({ topic, messages });
  }
  async disconnect(): Promise<void> {}
}

const noDetections: DetectionEngine = { processBatch: async () => [] };

function control(): BatchControl & { resolved: string[] } {
  const resolved: string[] = [];
  return {
    resolved,
    resolveOffset: (o) => void resolved.push(o),
    heartbeat: async () => undefined,
    isRunning: () => true,
    isStale: () => false,
  };
}

function batch(first: number, values: string[], partition = 0): SourceBatch {
  return {
    topic: 't',
    partition,
    highWatermark: String(first + values.length),
    messages: values.map((v, i) => ({
      offset: String(first + i),
      key: null,
      value: Buffer.from(v),
      headers: {},
      timestamp: '0',
    })),
  };
}

function setup(overrides: { engine?: DetectionEngine; sinks?: Sink[]; maxInFlightBytes?: number } = {}) {
  const tracker = new OffsetTracker();
  const producer = new RecordingProducer();
  const sinks = overrides.sinks ?? [new ManualSink()];
  const fatal: SinkFatalError[] = [];
  const pressure: boolean[] = [];
  const metrics = new WorkerMetrics({ defaultMetrics: false });
  const pipeline = new StreamPipeline({
    reader,
    engine: overrides.engine ?? noDetections,
    sinks,
    deadLetters: new DeadLetterWriter(producer, '{topic}.dlq'),
    tracker,
    metrics,
    logger,
    config: { maxInFlightBytes: overrides.maxInFlightBytes ?? 1 << 20, maxBatchItems: 1000, retryBackoffMs: 1, retryBackoffMaxMs: 5 },
    onBackpressure: (p) => void pressure.push(p),
    onFatal: (e) => void fatal.push(e),
  });
  return { tracker, producer, sinks, fatal, pressure, metrics, pipeline };
}

const tick = () => new Promise((r) => setTimeout(r, 10));

describe('StreamPipeline', () => {
  it('commits a partition only up to the lowest batch not yet delivered', async () => {
    const { pipeline, tracker, sinks } = setup();
    const sink = sinks[0] as ManualSink;
    await pipeline.handleBatch(batch(0, ['["a","b"]', '["c"]']), control());
    await pipeline.handleBatch(batch(2, ['["d"]']), control());
    expect(sink.calls).toHaveLength(2);
    sink.calls[1].resolve({ rejected: [] });
    await tick();
    expect(tracker.pendingCommits()).toEqual([{ topic: 't', partition: 0, offset: '0' }]);
    sink.calls[0].resolve({ rejected: [] });
    await tick();
    expect(tracker.pendingCommits()).toEqual([{ topic: 't', partition: 0, offset: '3' }]);
  });

  it('a message is done only when every sink has it', async () => {
    const a = new ManualSink('a');
    const b = new ManualSink('b');
    const { pipeline, tracker } = setup({ sinks: [a, b] });
    await pipeline.handleBatch(batch(0, ['["x"]']), control());
    a.calls[0].resolve({ rejected: [] });
    await tick();
    expect(tracker.pendingCommits()).toEqual([{ topic: 't', partition: 0, offset: '0' }]);
    b.calls[0].resolve({ rejected: [] });
    await tick();
    expect(tracker.pendingCommits()).toEqual([{ topic: 't', partition: 0, offset: '1' }]);
  });

  it('delivers raw events and the detections of the batch together', async () => {
    const detection = { id: 'd1', rule: { id: 'r', title: 'R', level: 'high', seedRows: [], tags: [] } } as unknown as Detection;
    const engine: DetectionEngine = { processBatch: async (events) => (events.length ? [detection] : []) };
    const { pipeline, sinks, metrics } = setup({ engine });
    await pipeline.handleBatch(batch(0, ['["a","b"]']), control());
    const items = (sinks[0] as ManualSink).calls[0].items;
    expect(items.map((i) => i.type)).toEqual(['event', 'event', 'detection']);
    expect(await metrics.registry.getSingleMetricAsString('entrawatch_detections_total')).toContain('level="high"');
  });

  it('dead-letters undecodable messages and records with reason and source headers before the offset moves', async () => {
    const { pipeline, tracker, producer, sinks } = setup();
    producer.failures = 2; // the first two dead-letter writes fail and are retried
    await pipeline.handleBatch(batch(0, ['!', '["ok","bad"]']), control());
    (sinks[0] as ManualSink).calls[0].resolve({ rejected: [] });
    await new Promise((r) => setTimeout(r, 100));
    expect(producer.sent).toHaveLength(1);
    const [{ topic, messages }] = producer.sent;
    expect(topic).toBe('t.dlq');
    expect(messages.map((m) => m.headers[DEAD_LETTER_HEADERS.reason])).toEqual(['not JSON', 'no time']);
    expect(messages[0].headers).toMatchObject({
      'entrawatch-source-topic': 't',
      'entrawatch-source-partition': '0',
      'entrawatch-source-offset': '0',
      'entrawatch-kind': 'decode',
    });
    expect(messages[0].headers['entrawatch-record-index']).toBeUndefined();
    expect(messages[1].headers).toMatchObject({ 'entrawatch-source-offset': '1', 'entrawatch-record-index': '1' });
    expect(messages[0].value.toString()).toBe('!');
    expect(tracker.pendingCommits()).toEqual([{ topic: 't', partition: 0, offset: '2' }]);
  });

  it('keeps the offset while the dead-letter write fails', async () => {
    const { pipeline, tracker, producer } = setup();
    producer.failures = Number.POSITIVE_INFINITY;
    await pipeline.handleBatch(batch(0, ['!']), control());
    await new Promise((r) => setTimeout(r, 50));
    expect(tracker.pendingCommits()).toEqual([{ topic: 't', partition: 0, offset: '0' }]);
    expect(await pipeline.drain(50)).toBe(false);
    expect(tracker.pendingCommits()).toEqual([{ topic: 't', partition: 0, offset: '0' }]);
  });

  it('dead-letters items a sink rejects for good, then moves on', async () => {
    const { pipeline, tracker, producer, sinks } = setup();
    await pipeline.handleBatch(batch(5, ['["a","b"]']), control());
    const call = (sinks[0] as ManualSink).calls[0];
    call.resolve({ rejected: [{ item: call.items[1], reason: 'HEC 400 code 6: Invalid data format' }] });
    await tick();
    expect(producer.sent[0].messages[0].headers).toMatchObject({
      'entrawatch-reason': 'HEC 400 code 6: Invalid data format',
      'entrawatch-kind': 'sink_rejected',
      'entrawatch-sink': 'manual',
      'entrawatch-source-offset': '5',
      'entrawatch-record-index': '1',
    });
    expect(JSON.parse(producer.sent[0].messages[0].value.toString())).toEqual({ id: 'b' });
    expect(tracker.pendingCommits()).toEqual([{ topic: 't', partition: 0, offset: '6' }]);
  });

  it('retries a delivery the sink failed, and a rule evaluation that failed', async () => {
    let engineFailures = 1;
    const engine: DetectionEngine = {
      processBatch: async () => {
        if (engineFailures-- > 0) throw new Error('redis down');
        return [];
      },
    };
    let sinkFailures = 2;
    const delivered: OutputItem[][] = [];
    const sink: Sink = {
      name: 'flaky',
      start: async () => undefined,
      close: async () => undefined,
      deliver: async (items) => {
        if (sinkFailures-- > 0) throw new SinkUnavailableError('flaky', 'busy', 9);
        delivered.push(items);
        return { rejected: [] };
      },
    };
    const { pipeline, tracker } = setup({ engine, sinks: [sink] });
    await pipeline.handleBatch(batch(0, ['["a"]']), control());
    await new Promise((r) => setTimeout(r, 100));
    expect(delivered).toHaveLength(1);
    expect(tracker.pendingCommits()).toEqual([{ topic: 't', partition: 0, offset: '1' }]);
  });

  it('a SinkFatalError stops everything and marks nothing done', async () => {
    const { pipeline, tracker, sinks, fatal } = setup();
    await pipeline.handleBatch(batch(0, ['["a"]']), control());
    await pipeline.handleBatch(batch(1, ['["b"]']), control());
    const sink = sinks[0] as ManualSink;
    sink.calls[0].reject(new SinkFatalError('hec', 'Invalid token (code 4): check sinks.hec.token', 4));
    await tick();
    expect(fatal.map((e) => e.message)).toEqual(['hec: Invalid token (code 4): check sinks.hec.token']);
    expect(tracker.pendingCommits()).toEqual([{ topic: 't', partition: 0, offset: '0' }]);
    // the second delivery was aborted, and later batches are not taken
    const c = control();
    await pipeline.handleBatch(batch(2, ['["c"]']), c);
    expect(c.resolved).toEqual([]);
    expect(await pipeline.drain(100)).toBe(true);
    expect(tracker.pendingCommits()).toEqual([{ topic: 't', partition: 0, offset: '0' }]);
  });

  it('pauses fetching above maxInFlightBytes and resumes when deliveries complete', async () => {
    const { pipeline, sinks, pressure } = setup({ maxInFlightBytes: 20 });
    await pipeline.handleBatch(batch(0, ['["aaaa","bbbb"]']), control());
    expect(pressure).toEqual([]);
    await pipeline.handleBatch(batch(1, ['["cccc","dddd"]']), control());
    expect(pressure).toEqual([true]);
    expect(pipeline.inFlightBytes).toBe(30);
    (sinks[0] as ManualSink).calls[0].resolve({ rejected: [] });
    await tick();
    expect(pressure).toEqual([true, false]);
  });

  it('drain waits for in-flight deliveries, then stops taking batches', async () => {
    const { pipeline, tracker, sinks } = setup();
    await pipeline.handleBatch(batch(0, ['["a"]']), control());
    const drained = pipeline.drain(1000);
    setTimeout(() => (sinks[0] as ManualSink).calls[0].resolve({ rejected: [] }), 20);
    expect(await drained).toBe(true);
    expect(tracker.pendingCommits()).toEqual([{ topic: 't', partition: 0, offset: '1' }]);
  });

  it('a drain that times out gives the delivery up uncommitted', async () => {
    const { pipeline, tracker } = setup();
    await pipeline.handleBatch(batch(0, ['["a"]']), control());
    expect(await pipeline.drain(30)).toBe(false);
    expect(tracker.pendingCommits()).toEqual([{ topic: 't', partition: 0, offset: '0' }]);
  });

  it('skips messages fetched again while their first copy is in flight', async () => {
    const { pipeline, sinks } = setup();
    await pipeline.handleBatch(batch(0, ['["a"]', '["b"]']), control());
    const c = control();
    await pipeline.handleBatch(batch(1, ['["b"]', '["c"]']), c);
    expect(c.resolved).toEqual(['1', '2']);
    expect((sinks[0] as ManualSink).calls.map((x) => x.items.length)).toEqual([2, 1]);
  });

  it('stops taking messages of a batch once the consumer stops running', async () => {
    const { pipeline, tracker } = setup();
    let n = 0;
    const c = { ...control(), isRunning: () => n++ < 1 };
    await pipeline.handleBatch(batch(0, ['["a"]', '["b"]', '["c"]']), c);
    expect(c.resolved).toEqual(['0']);
    expect(tracker.partition('t', 0).lastBegun).toBe(0);
  });
});

/**
 * NDJSON sink for files and stdout: one JSON object per line, events as their normalized form or raw record,
 * detections as the Detection JSON. deliver() resolves once the lines are handed to the OS (fsync on close).
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { DeliveryResult, OutputItem, Sink } from '../types.js';
import type { EntraEvent } from '../../normalize/event.js';

export type EventEncoding = 'normalized' | 'raw';

export interface FileSinkOptions {
  /** file path, or `-` for stdout */
  path: string;
  /** which items this sink writes */
  include: { events: boolean; detections: boolean };
  /** `normalized`: {id,time,kind,category,cim,fields}; `raw`: the record exactly as received */
  eventEncoding?: EventEncoding;
  name?: string;
}

export function encodeEventLine(event: EntraEvent, encoding: EventEncoding): string {
  if (encoding === 'raw') return JSON.stringify(event.raw);
  return JSON.stringify({
    id: event.id,
    time: new Date(event.time).toISOString(),
    kind: event.kind,
    category: event.category,
    format: event.format,
    cim: event.cim,
    fields: event.fields,
    origin: event.origin,
  });
}

export class FileSink implements Sink {
  readonly name: string;
  private stream: WriteStream | NodeJS.WritableStream | undefined;
  private readonly encoding: EventEncoding;

  constructor(private readonly options: FileSinkOptions) {
    this.name = options.name ?? `file:${options.path}`;
    this.encoding = options.eventEncoding ?? 'normalized';
  }

  async start(): Promise<void> {
    if (this.options.path === '-') {
      this.stream = process.stdout;
      return;
    }
    const stream = createWriteStream(this.options.path, { flags: 'w' });
    await once(stream, 'open');
    this.stream = stream;
  }

  async deliver(items: OutputItem[]): Promise<DeliveryResult> {
    const stream = this.stream;
    if (!stream) throw new Error(`${this.name}: deliver() before start()`);
    let chunk = '';
    for (const item of items) {
      if (item.type === 'event') {
        if (this.options.include.events) chunk += encodeEventLine(item.event, this.encoding) + '\n';
      } else if (this.options.include.detections) {
        chunk += JSON.stringify(item.detection) + '\n';
      }
    }
    if (chunk.length > 0 && !stream.write(chunk)) await once(stream, 'drain');
    return { rejected: [] };
  }

  async close(): Promise<void> {
    const stream = this.stream;
    this.stream = undefined;
    if (!stream || stream === process.stdout) return;
    await new Promise<void>((resolve, reject) => (stream as WriteStream).end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}

/**
 * A local RFC 5425-style syslog listener for tests: TCP or TLS, octet-counting frames, records every message,
 * and can be stopped and restarted on the same port to simulate a receiver restart.
 */
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OctetCountingParser } from '../../src/sinks/syslog/rfc5424.js';

const TLS_DIR = join(import.meta.dirname, '..', 'fixtures', 'tls');
export const TEST_CA_FILE = join(TLS_DIR, 'ca.crt');

export interface SyslogListener {
  port: number;
  messages: string[];
  /** frames that could not be parsed */
  errors: string[];
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startSyslogListener(protocol: 'tcp' | 'tls', port = 0): Promise<SyslogListener> {
  const messages: string[] = [];
  const errors: string[] = [];
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  let boundPort = port;

  const onSocket = (socket: Socket) => {
    sockets.add(socket);
    const parser = new OctetCountingParser();
    socket.on('data', (chunk: Buffer) => {
      try {
        messages.push(...parser.push(chunk));
      } catch (err) {
        errors.push((err as Error).message);
        socket.destroy();
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  };

  const listener: SyslogListener = {
    get port() {
      return boundPort;
    },
    messages,
    errors,
    async start() {
      server =
        protocol === 'tls'
          ? createTlsServer({ key: readFileSync(join(TLS_DIR, 'server.key')), cert: readFileSync(join(TLS_DIR, 'server.crt')) }, onSocket)
          : createTcpServer(onSocket);
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(boundPort, '127.0.0.1', () => resolve());
      });
      boundPort = (server.address() as { port: number }).port;
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server = undefined;
    },
  };
  await listener.start();
  return listener;
}

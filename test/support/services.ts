/**
 * Where the real services of the test suite are. scripts/test.sh starts them and exports these variables.
 * A missing or unreachable service makes the test FAIL with a message saying how to start it: never skip.
 */
import { connect } from 'node:net';

function required(name: string, example: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: this test needs a real service. Run the suite with \`npm test\` ` +
        `(it starts Redis and Kafka), or start them with \`npm run services:start\` and set ${name}=${example}.`,
    );
  }
  return value;
}

export function testRedisUrl(): string {
  return required('ENTRAWATCH_TEST_REDIS_URL', 'redis://127.0.0.1:6390');
}

export function testKafkaBrokers(): string[] {
  return required('ENTRAWATCH_TEST_KAFKA_BROKERS', '127.0.0.1:19092').split(',');
}

/** Resolves when host:port accepts a TCP connection, rejects with a clear error otherwise. */
export function assertReachable(hostPort: string, what: string, timeoutMs = 3000): Promise<void> {
  const [host, port] = hostPort.replace(/^redis:\/\//, '').split(':');
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port: Number(port) });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`${what} at ${hostPort} did not answer within ${timeoutMs} ms: start it with npm run services:start`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.end();
      resolve();
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`${what} at ${hostPort} is not reachable (${err.message}): start it with npm run services:start`));
    });
  });
}

/** A unique name per test run, so tests never see each other's topics, keys or groups. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

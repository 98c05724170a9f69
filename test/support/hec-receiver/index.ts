/** The HEC test receiver: a protocol-faithful Splunk HTTP Event Collector with fault injection, for tests. */
export { startHecReceiver, HEC_TEXTS } from './server.js';
export type { HecReceiver, HecReceiverOptions, HecTokenConfig, StoredHecEvent, HecRequestRecord } from './server.js';
export type { HecFaultSettings } from './faults.js';
export { parseConcatenatedJson } from './batch-parser.js';

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Test-only TLS material: a CA (`caFile`) and a server key/certificate for 127.0.0.1 signed by it. */
export function testTlsMaterial(): { key: Buffer; cert: Buffer; caFile: string } {
  const dir = join(import.meta.dirname, 'tls');
  return { key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.pem')), caFile: join(dir, 'ca.pem') };
}

/** The HEC test receiver: a protocol-faithful Splunk HTTP Event Collector with fault injection, for tests. */
export { startHecReceiver, HEC_TEXTS } from './server.js';
export type { HecReceiver, HecReceiverOptions, HecTokenConfig, StoredHecEvent, HecRequestRecord } from './server.js';
export type { HecFaultSettings } from './faults.js';
export { parseConcatenatedJson } from './batch-parser.js';

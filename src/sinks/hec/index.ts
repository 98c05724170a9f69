/** The Splunk HEC sink: public API. */
export { HecSink, type HecSinkOptions, type HecSinkStats } from './sink.js';
export {
  hecSinkConfigSchema,
  validateHecSinkConfig,
  readHecToken,
  type HecSinkConfig,
  type HecSinkConfigInput,
} from './config.js';
export { encodeHecEvent, hecEnvelopeOf, type HecEventEnvelope } from './encoder.js';
export { checkHec, type HecCheckReport } from './check.js';

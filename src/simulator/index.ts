/** Public API of the vLLM simulator (dry runs, tests, benchmark). Importing it starts nothing. */
export { parseSimulatorArgs, type SimulatorArgs } from './args.js';
export {
  canonicalUrl,
  decideAnswer,
  decideFault,
  decideLatencyMs,
  hashUniforms,
  replyText,
  truthFor,
  type FaultKind,
  type Score,
} from './behaviour.js';
export {
  defaultSimulatorOptions,
  simulatorOptions,
  type SimulatorFaults,
  type SimulatorOptions,
  type SimulatorOptionsInput,
} from './options.js';
export {
  DEFAULT_AGREEMENT,
  pairOutcome,
  pairRates,
  pairTable,
  type PairOutcome,
  type PairRates,
  type PairSpec,
} from './pair.js';
export { startSimulator, type Simulator, type SimulatorStats } from './server.js';
export {
  unencodedChar,
  validateChatBody,
  videoUrlError,
  type ChatValidation,
  type HttpError,
  type ValidChat,
} from './validate.js';

/** The gate's pipelines for one run: eval (run-gate.ts), merge of shards (merge.ts), comment (comment-mode.ts). src/modes.ts picks among them and the sweeps. */
export { runGate, type GateDeps } from './run-gate.js';
export type { GateOutcome } from './finish.js';

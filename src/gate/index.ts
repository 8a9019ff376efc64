/** The gate's pipeline (see run-gate.ts); the action, the CLI and the scripts call runGate. */
export { runGate, type GateDeps, type GateOutcome } from './run-gate.js';

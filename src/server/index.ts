/** Owning the vLLM server: command line, start and readiness, record, cleanup. Importing it starts nothing. */
export {
  formatCommandLine,
  maskArgs,
  RECIPE_FLAGS,
  vllmCommandLine,
  type VllmCommandOptions,
} from './args.js';
export {
  installCleanup,
  killFromPidFile,
  killServersIn,
  type CleanupOptions,
  type PidFileCleanup,
} from './cleanup.js';
export { freePort } from './free-port.js';
export { SERVER_LOG_NAME, startVllm, VllmStartError, type StartVllmOptions } from './launch.js';
export { type ExitStatus, type ManagedServer, type StopReport } from './managed.js';
export { type StartFailure } from './wait-ready.js';
export { parseNvidiaSmi, type GpuInfo } from './nvidia-smi.js';
export { type PidRecord } from './pid-file.js';
export { postStep } from './post-step.js';
export { recordServer, type RecordOptions, type ServerRecord } from './record.js';
export { CHECKPOINT_ARGS_FILE, simulatorArgsFromVllm } from '../simulator/as-vllm.js';

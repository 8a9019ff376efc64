/** What pixels and frames the model sees: the recipe's pipeline, the server's, and the request that aligns them. */
export type { FrameResult, RecipeVision, VideoMeta, VisionRequest } from './types.js';
export { RECIPE_VISION, visualTokensOf } from './types.js';
export { recipeFrames } from './recipe-frames.js';
export {
  serverFrames,
  serverFramesDefaultLoader,
  videoPromptTokens,
  type ServerOptions,
} from './server-frames.js';
export { visionRequest, type VisionPlan } from './plan.js';
export { readMp4Info, type ByteSource, type Mp4Info } from './mp4-info.js';
export { probeRequests, PROBE_ASSET, PROBE_META, type ProbeRequest } from './probe.js';

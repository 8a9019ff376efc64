/** What pixels and frames the model sees: the recipe's pipeline, the server's, and the request that aligns them. */
export type { FrameResult, RecipeVision, VideoMeta, VisionRequest } from './types.js';
export { RECIPE_VISION, visualTokensOf } from './types.js';
export { recipeFrames } from './recipe-frames.js';
export { serverFrames, serverFramesDefaultLoader, videoPromptTokens } from './server-frames.js';
export { visionRequest, type VisionPlan } from './plan.js';

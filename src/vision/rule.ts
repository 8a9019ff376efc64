/**
 * How the gate turns total_pixels into the server's size limits (plan.ts): recorded in every summary and
 * baseline and compared, since runs under another rule showed the model other frames. Runs of version 0.1
 * sent `longest_edge = total_pixels` (half the recipe's visual tokens); their settings carry no rule and are
 * read as LEGACY_VISION_RULE.
 */
export const VISION_RULE = 'recipe-frame-budget-v1';
export const LEGACY_VISION_RULE = 'longest-edge-total-pixels-v0';

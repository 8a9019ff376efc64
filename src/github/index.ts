/** The sticky pull-request comment over the GitHub REST API, and what it needs from the event. */
export { prNumberFromEvent } from './event.js';
export { GitHubApiError, type SkipReason } from './errors.js';
export { commitFile, type CommitFileOptions } from './contents.js';
export { workflowRunUrl, type RunContext } from './links.js';
export {
  ACTIONS_BOT,
  upsertComment,
  type UpsertOptions,
  type UpsertResult,
} from './sticky-comment.js';

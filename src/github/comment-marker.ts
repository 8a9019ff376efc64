/**
 * What makes a pull-request comment the gate's sticky comment: the hidden marker that finds it again and
 * the size GitHub accepts. Pure; the report puts the marker first, the upsert (sticky-comment.ts) searches
 * for it and refuses a body over the limit.
 */

/** GitHub rejects a comment body above 65,536 characters (422). */
export const COMMENT_LIMIT = 65_536;

/**
 * The hidden marker that finds the sticky comment again. The tag is percent-encoded (encodeURIComponent
 * leaves no `>`, so no tag can end the HTML comment early) and the marker ends in ` -->`, so tag `a` never
 * matches a comment of tag `ab`.
 */
export function commentMarker(tag: string): string {
  return `<!-- videophy-gate: ${encodeURIComponent(tag)} -->`;
}

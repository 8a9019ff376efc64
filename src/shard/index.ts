/** Matrix sharding, resume and merge checks: pure functions over settings, items and result rows. */
export { checkShardsCover, type CoverInput, type ShardResults } from './cover.js';
export { selectShard, shardAssignment } from './select.js';
export { formatShard, parseShard, type ShardSpec } from '../config/shard-spec.js';

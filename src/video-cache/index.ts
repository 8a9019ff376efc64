/** Optional per-runner video cache and the ways a cached video is sent. Importing it does nothing. */
export {
  DEFAULT_MAX_BYTES,
  VideoCache,
  type CachedVideo,
  type VideoCacheOptions,
  type VideoCacheStats,
} from './cache.js';
export { DownloadError } from './download.js';
export { createLimiter, type Limiter } from './limiter.js';
export { readManifest, type ManifestEntry } from './manifest.js';
export { cacheFileName, videoMimeType } from './names.js';
export { isLocalMediaRefusal, localMediaHint, toTransport } from './transport.js';

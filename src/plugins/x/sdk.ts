/**
 * twitter-api-v2, required on first use (it is CommonJS). The only module that names the SDK's
 * package: scripts/bundle.mjs swaps it for one that requires the SDK pre-bundled into a single
 * file (dist/bundle/vendor/) through a V8 code cache in `codeCacheDir` (core/code-cache.ts), so the
 * built CLI opens one file instead of the package's ~80 and mostly skips compiling it. Here, the
 * package is required as is and `codeCacheDir` is not used.
 */
import { createRequire } from 'node:module';

export interface TwitterSdk {
  TwitterApi: new (credentials: unknown, settings?: unknown) => { ads: unknown; v2: unknown };
}

export function loadTwitterSdk(_codeCacheDir?: string): TwitterSdk {
  return createRequire(import.meta.url)('twitter-api-v2') as TwitterSdk;
}

/**
 * twitter-api-v2, required on first use (it is CommonJS). The only module that names the SDK's
 * package: scripts/bundle.mjs swaps it for one that requires the SDK pre-bundled into a single
 * file (dist/bundle/vendor/), so the built CLI opens one file instead of the package's ~80.
 */
import { createRequire } from 'node:module';

export interface TwitterSdk {
  TwitterApi: new (credentials: unknown, settings?: unknown) => { ads: unknown; v2: unknown };
}

export function loadTwitterSdk(): TwitterSdk {
  return createRequire(import.meta.url)('twitter-api-v2') as TwitterSdk;
}

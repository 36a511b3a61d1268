/**
 * facebook-nodejs-business-sdk and the axios it sends with, required on first use (both are
 * CommonJS). The only module that names the SDK's package: scripts/bundle.mjs swaps it for one
 * that requires the SDK and its axios pre-bundled into a single file (dist/bundle/vendor/) through
 * a V8 code cache in `codeCacheDir` (core/code-cache.ts). Here, the packages are required as they
 * are and `codeCacheDir` is not used. The axios is always the SDK's own, so the transport hooks
 * see the SDK's requests.
 */
import { createRequire } from 'node:module';

export interface MetaSdk {
  FacebookAdsApi: unknown;
  axios: unknown;
}

export function loadMetaSdk(_codeCacheDir?: string): MetaSdk {
  const requireCjs = createRequire(import.meta.url);
  const sdkPath = requireCjs.resolve('facebook-nodejs-business-sdk');
  const sdk = requireCjs(sdkPath) as { FacebookAdsApi: unknown };
  return { FacebookAdsApi: sdk.FacebookAdsApi, axios: createRequire(sdkPath)('axios') };
}

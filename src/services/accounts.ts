/**
 * Account facts (currency, time zone, name) with a small on-disk cache under the config dir.
 *
 * Why cache: money typed by a user is checked against the account's currency before any write,
 * and after the first look-up that check costs no request at all. Currency and time zone of an ad
 * account practically never change; `--refresh`-style invalidation is not needed for them, and
 * the cache is keyed by endpoint origin so the sandbox and a real account never mix.
 */
import { join } from 'node:path';
import { readFileIfExists, withFileLock, writeFileAtomic } from '../core/fs.js';
import type { AdAccount, Platform } from '../core/model.js';
import type { Session } from './session.js';

type CacheFile = Record<string, AdAccount & { cachedAt: string }>;

function cachePath(session: Session): string {
  return join(session.settings.configDir, 'cache', 'accounts.json');
}

function readCache(path: string): CacheFile {
  const text = readFileIfExists(path);
  if (!text) return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as CacheFile) : {};
  } catch {
    // A cache is disposable: a torn or corrupted one is simply rebuilt.
    return {};
  }
}

function key(session: Session, platform: Platform): string | undefined {
  const id = session.accountId(platform);
  if (!id) return undefined;
  const mode = session.settings.mode === 'sandbox' ? 'sandbox' : platform === 'x' ? session.settings.endpoints.xAdsApi : session.settings.endpoints.metaGraph;
  return `${mode}|${platform}:${id}`;
}

/** The cached account, if adctl has seen it before. Costs no request. */
export function cachedAccount(session: Session, platform: Platform): AdAccount | undefined {
  const k = key(session, platform);
  if (!k) return undefined;
  const hit = readCache(cachePath(session))[k];
  if (!hit) return undefined;
  const { cachedAt: _cachedAt, ...account } = hit;
  return account;
}

/** The account, from the cache or from the platform (then cached). */
export async function getAccount(session: Session, platform: Platform): Promise<AdAccount> {
  const cached = cachedAccount(session, platform);
  if (cached) return cached;
  const adapter = await session.adapter(platform, 'campaigns.read');
  const account = await adapter.getAccount();
  const k = key(session, platform);
  if (k && !session.dryRun) {
    const path = cachePath(session);
    await withFileLock(path, () => {
      const cache = readCache(path);
      cache[k] = { ...account, cachedAt: new Date().toISOString() };
      writeFileAtomic(path, JSON.stringify(cache, null, 1));
    });
  }
  return account;
}

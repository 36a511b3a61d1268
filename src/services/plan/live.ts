/**
 * Read the live state a plan is computed against: for each platform in play, the account's
 * currency (cached, see accounts.ts), every campaign and, when the plugin can read them, every ad
 * group. Reads only; platforms are read concurrently.
 */
import type { Platform } from '../../core/model.js';
import { getAccount } from '../accounts.js';
import type { Session } from '../session.js';
import type { LivePlatform, LiveState } from './types.js';

export async function readLive(session: Session, platforms: Iterable<Platform>): Promise<LiveState> {
  const list = [...new Set(platforms)].sort();
  const entries = await Promise.all(list.map(async (p): Promise<[Platform, LivePlatform]> => {
    const adapter = await session.adapter(p, 'campaigns.read');
    const groupsSupported = adapter.capabilities.has('adgroups.read') && typeof adapter.listAdGroups === 'function';
    const [account, campaigns, adGroups] = await Promise.all([
      getAccount(session, p),
      adapter.listCampaigns({}),
      groupsSupported ? adapter.listAdGroups!({}) : Promise.resolve([]),
    ]);
    return [p, { currency: account.currency, campaigns, adGroups, adGroupsSupported: groupsSupported && adapter.capabilities.has('adgroups.write') }];
  }));
  return Object.fromEntries(entries) as LiveState;
}

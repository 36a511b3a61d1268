/**
 * The Meta plugin's manifest: tiny and SDK-free. `load()` imports the adapter, and with it the
 * heavy facebook-nodejs-business-sdk, only when a command needs Meta. A disabled plugin is never
 * loaded.
 */
import type { PluginManifest } from '../../core/adapter.js';

export const metaManifest: PluginManifest = {
  id: 'meta',
  title: 'Meta (Facebook, Instagram) Ads',
  capabilities: ['campaigns.read', 'campaigns.write', 'budgets.write', 'posts.publish', 'posts.schedule', 'posts.delete', 'media.upload', 'batch', 'insights.read', 'adgroups.read', 'adgroups.write'],
  load: async (ctx) => (await import('./adapter.js')).createMetaAdapter(ctx),
};

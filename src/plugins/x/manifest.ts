/**
 * The X plugin's manifest: tiny and SDK-free, so listing plugins and `--help` cost nothing.
 * `load()` imports the adapter (and twitter-api-v2) only when a command needs X.
 */
import type { PluginManifest } from '../../core/adapter.js';

export const xManifest: PluginManifest = {
  id: 'x',
  title: 'X (Twitter) Ads',
  capabilities: ['campaigns.read', 'campaigns.write', 'budgets.write', 'posts.publish', 'posts.schedule', 'posts.delete', 'media.upload', 'batch', 'insights.read', 'adgroups.read', 'adgroups.write'],
  load: async (ctx) => (await import('./adapter.js')).createXAdapter(ctx),
};

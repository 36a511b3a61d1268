/**
 * The model's closed word lists, without zod: commands, services and plugins that only need a
 * list (config keys, flag choices, placements) import it from here, so they do not build every
 * schema in model.ts at start-up. model.ts builds its enums from these and re-exports them.
 */
export const PLATFORMS = ['x', 'meta'] as const;

export const OBJECTIVES = [
  'awareness', 'traffic', 'engagement', 'leads', 'sales', 'app_installs', 'video_views', 'followers',
] as const;

export const CAMPAIGN_STATUSES = ['active', 'paused', 'draft', 'archived', 'deleted'] as const;

export const BID_STRATEGIES = ['auto', 'max', 'target', 'cost_cap'] as const;

export const PLACEMENTS = ['feed', 'stories', 'reels', 'search', 'profile', 'audience_network', 'messenger', 'timeline', 'replies'] as const;
export const PUBLISHER_PLATFORMS = ['facebook', 'instagram', 'messenger', 'audience_network', 'x'] as const;

export const CHANNELS = ['x', 'facebook', 'instagram'] as const;

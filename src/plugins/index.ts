/**
 * The built-in plugin manifests. Manifests are tiny and import no SDK: each plugin's `load()`
 * imports its adapter (and SDK) only when a command needs it.
 */
import type { PluginManifest } from '../core/adapter.js';
import { xManifest } from './x/manifest.js';
import { metaManifest } from './meta/manifest.js';

export const BUILTIN_PLUGINS: readonly PluginManifest[] = [xManifest, metaManifest];

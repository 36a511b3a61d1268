/**
 * The plugin registry (DESIGN §3). It knows every manifest but calls `load()` only for a plugin
 * that is enabled and needed, so a disabled plugin's SDK is never imported.
 * Core holds the mechanism; the list of built-in manifests is handed in by the caller, because
 * core imports no plugin.
 */
import type { AdapterContext, Capability, PlatformAdapter, PluginManifest } from './adapter.js';
import { AdctlError, ExitCode } from './errors.js';
import type { Platform } from './model.js';

export class PluginRegistry {
  private readonly loaded = new Map<Platform, Promise<PlatformAdapter>>();

  constructor(
    readonly manifests: readonly PluginManifest[],
    private readonly isEnabled: (id: Platform) => boolean,
  ) {}

  manifest(id: Platform): PluginManifest {
    const m = this.manifests.find((x) => x.id === id);
    if (!m) throw new AdctlError('UNKNOWN_PLUGIN', `no plugin named "${id}"`, ExitCode.CONFIG, { hint: 'see `adctl plugin list`' });
    return m;
  }

  enabled(): Platform[] {
    return this.manifests.filter((m) => this.isEnabled(m.id)).map((m) => m.id);
  }

  /** Throws exit 78 when the plugin is disabled or lacks the capability, before anything loads. */
  check(id: Platform, capability?: Capability): PluginManifest {
    const m = this.manifest(id);
    if (!this.isEnabled(id)) {
      throw new AdctlError('PLUGIN_DISABLED', `the ${id} plugin is disabled`, ExitCode.CONFIG, {
        hint: `enable it with \`adctl plugin enable ${id}\``,
      });
    }
    if (capability && !m.capabilities.includes(capability)) {
      throw new AdctlError('CAPABILITY_UNSUPPORTED', `the ${id} plugin does not support ${capability}`, ExitCode.CONFIG, {
        hint: `${m.title} supports: ${m.capabilities.join(', ')}`,
      });
    }
    return m;
  }

  /** Load (once) and return the adapter. `makeContext` runs only when the plugin really loads. */
  load(id: Platform, capability: Capability | undefined, makeContext: () => AdapterContext): Promise<PlatformAdapter> {
    const m = this.check(id, capability);
    let p = this.loaded.get(id);
    if (!p) {
      p = m.load(makeContext());
      this.loaded.set(id, p);
    }
    return p;
  }

  isLoaded(id: Platform): boolean {
    return this.loaded.has(id);
  }
}

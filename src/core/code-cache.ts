/**
 * require() for a large single-file CommonJS module (the pre-bundled SDKs, dist/bundle/vendor/)
 * through a V8 code cache, so that the next process loading it skips most of compiling it.
 *
 * - The cache lives in `dir` (the config dir's cache/code/: 0700, files 0600, written through a
 *   temp file and a rename, never torn) and is keyed by the SHA-256 of the file's bytes, the Node
 *   version and the architecture, so a rebuilt or updated file never meets a stale cache. V8 itself
 *   refuses a cache made by another V8 or under other V8 flags; a refused or missing cache is
 *   written anew, and the caches it replaces (same file and Node, other bytes) are removed then.
 * - A cache is code: one that is not owned by this user, or is writable by group or others, is
 *   ignored.
 * - Whatever goes wrong with the cache (unreadable, no space, read-only dir) only costs the compile:
 *   the module is then compiled as require() would. Errors thrown by the module itself propagate.
 * - The module is registered in require.cache like any required module: one instance per process,
 *   and module traces list it.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { basename, dirname, join } from 'node:path';
import vm from 'node:vm';
import { writeFileAtomic } from './fs.js';

const requireCache = createRequire(import.meta.url).cache;

export function requireWithCodeCache(file: string, dir: string | undefined): unknown {
  const loaded = requireCache[file];
  if (loaded) return loaded.exports;
  const bytes = readFileSync(file);
  const suffix = `.${process.version}-${process.arch}.v8`;
  const key = dir ? join(dir, `${basename(file)}.${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}${suffix}`) : undefined;
  const cachedData = key ? readOwnFile(key) : undefined;
  // The same wrapper Node's CommonJS loader puts around a module.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) { ${bytes.toString('utf8')}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const mod = new Module(file);
  mod.filename = file;
  requireCache[file] = mod;
  try {
    (script.runInThisContext() as (...args: unknown[]) => void).call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
  } catch (e) {
    delete requireCache[file];
    throw e;
  }
  mod.loaded = true;
  if (key && (!cachedData || script.cachedDataRejected)) writeCache(key, script, (name) => name.startsWith(`${basename(file)}.`) && name.endsWith(suffix));
  return mod.exports;
}

function readOwnFile(path: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const st = fstatSync(fd);
    if ((st.mode & 0o022) !== 0 || (process.getuid && st.uid !== process.getuid())) return undefined;
    return readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes the cache, then removes the older caches of the same file (`sibling`) it replaces. */
function writeCache(path: string, script: vm.Script, sibling: (name: string) => boolean): void {
  try {
    // Advisory data, like the rate-limit state: atomic, no fsync.
    writeFileAtomic(path, script.createCachedData(), 0o600, { durable: false });
    const dir = dirname(path);
    for (const name of readdirSync(dir)) if (sibling(name) && name !== basename(path)) rmSync(join(dir, name), { force: true });
  } catch {
    // No cache this time.
  }
}

import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireWithCodeCache } from '../../src/core/code-cache.js';

const requireCache = createRequire(import.meta.url).cache;

function setup(source = 'exports.answer = () => 42; exports.loadedAt = Symbol("once");') {
  const dir = mkdtempSync(join(tmpdir(), 'adctl-code-cache-'));
  const file = join(dir, 'lib.cjs');
  writeFileSync(file, source);
  return { file, cacheDir: join(dir, 'cache', 'code') };
}

/** A new process's view: the module is not loaded yet. */
function forget(file: string): void {
  delete requireCache[file];
}

describe('requireWithCodeCache', () => {
  it('loads a CommonJS file once per process, registered like require() would', () => {
    const { file, cacheDir } = setup();
    const a = requireWithCodeCache(file, cacheDir) as { answer(): number; loadedAt: symbol };
    expect(a.answer()).toBe(42);
    expect(requireCache[file]?.exports).toBe(a);
    expect(requireWithCodeCache(file, cacheDir)).toBe(a);
    forget(file);
  });

  it('writes the cache 0600 in a 0700 directory, then reads it instead of writing again', () => {
    const { file, cacheDir } = setup();
    requireWithCodeCache(file, cacheDir);
    const [name] = readdirSync(cacheDir);
    expect(name).toMatch(new RegExp(`^lib\\.cjs\\.[0-9a-f]{32}\\.${process.version.replace(/\./g, '\\.')}-${process.arch}\\.v8$`));
    const path = join(cacheDir, name!);
    expect(statSync(cacheDir).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const before = statSync(path).mtimeMs;
    const ino = statSync(path).ino;
    forget(file);
    expect((requireWithCodeCache(file, cacheDir) as { answer(): number }).answer()).toBe(42);
    expect(statSync(path).ino).toBe(ino);
    expect(statSync(path).mtimeMs).toBe(before);
    forget(file);
  });

  it('keys the cache by content: a changed file gets a new cache and the old one goes', () => {
    const { file, cacheDir } = setup('exports.v = 1;');
    requireWithCodeCache(file, cacheDir);
    const [first] = readdirSync(cacheDir);
    forget(file);
    writeFileSync(file, 'exports.v = 2;'); // same length, other bytes
    expect((requireWithCodeCache(file, cacheDir) as { v: number }).v).toBe(2);
    const after = readdirSync(cacheDir);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(first);
    forget(file);
  });

  it('ignores a cache others can write', () => {
    const { file, cacheDir } = setup();
    requireWithCodeCache(file, cacheDir);
    const path = join(cacheDir, readdirSync(cacheDir)[0]!);
    forget(file);
    chmodSync(path, 0o666);
    expect((requireWithCodeCache(file, cacheDir) as { answer(): number }).answer()).toBe(42);
    expect(statSync(path).mode & 0o777).toBe(0o600); // replaced by a fresh one
    forget(file);
  });

  it('replaces a cache V8 refuses', () => {
    // A file this process has not compiled yet (V8 reuses its in-memory compile otherwise).
    const source = 'exports.fresh = "refused cache";';
    const { file, cacheDir } = setup(source);
    const path = join(cacheDir, `lib.cjs.${createHash('sha256').update(source).digest('hex').slice(0, 32)}.${process.version}-${process.arch}.v8`);
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    writeFileSync(path, 'not a code cache', { mode: 0o600 });
    expect((requireWithCodeCache(file, cacheDir) as { fresh: string }).fresh).toBe('refused cache');
    expect(readFileSync(path).toString('latin1')).not.toBe('not a code cache');
    forget(file);
  });

  it('still loads when the cache cannot be written, or without a cache dir', () => {
    const { file, cacheDir } = setup();
    mkdirSync(join(cacheDir, '..'), { recursive: true });
    writeFileSync(cacheDir, 'a file where the directory should be');
    expect((requireWithCodeCache(file, cacheDir) as { answer(): number }).answer()).toBe(42);
    forget(file);
    expect((requireWithCodeCache(file, undefined) as { answer(): number }).answer()).toBe(42);
    forget(file);
  });

  it('propagates an error thrown by the module and does not keep it loaded', () => {
    const { file, cacheDir } = setup('throw new Error("boom");');
    expect(() => requireWithCodeCache(file, cacheDir)).toThrow('boom');
    expect(requireCache[file]).toBeUndefined();
  });
});

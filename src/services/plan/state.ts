/**
 * The state file next to a spec (`<spec>.state.json`): spec key → platform ref, the fields adctl
 * last applied (the drift baseline) and in-flight creates.
 *
 * Contracts:
 * - Written atomically (temp file + rename, see core/fs.ts): a crash leaves the old or the new
 *   file, never a torn one.
 * - `apply` and `import` hold the file's lock for their whole run; a second writer waits, then
 *   fails with exit 5. A lock left by a killed process is taken over (its pid is dead).
 * - Validated with zod on read: a hand-broken file is a usage error naming the path, not a crash.
 */
import * as z from '../../core/zod.js';
import { acquireLockSync, readFileIfExists, writeFileAtomic } from '../../core/fs.js';
import { AdctlError, ExitCode } from '../../core/errors.js';
import type { SpecState } from './types.js';

const FieldsSchema = z.record(z.string(), z.string().nullable());
const EntrySchema = z.object({
  kind: z.enum(['campaign', 'adgroup']),
  platform: z.enum(['x', 'meta']),
  ref: z.string().nullable(),
  applied: FieldsSchema.optional(),
  pending: z.object({ op: z.literal('create'), name: z.string(), parentRef: z.string().nullable().optional(), at: z.string() }).optional(),
});
const StateSchema = z.object({ version: z.literal(1), objects: z.record(z.string(), EntrySchema) });

export function stateFileFor(specPath: string): string {
  return `${specPath}.state.json`;
}

export function readState(file: string): SpecState {
  const text = readFileIfExists(file);
  if (text === undefined) return { version: 1, objects: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AdctlError('STATE_FILE_INVALID', `${file} is not valid JSON`, ExitCode.USAGE, { hint: 'restore it from version control, or run `adctl import` to rebuild it from live state' });
  }
  const parsed = StateSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new AdctlError('STATE_FILE_INVALID', `${file}: ${i?.path.join('.') || '(file)'}: ${i?.message ?? 'invalid'}`, ExitCode.USAGE, {
      hint: 'restore it from version control, or run `adctl import` to rebuild it from live state',
    });
  }
  return parsed.data as SpecState;
}

/** Sorted keys, so the file diffs well in version control. */
export function writeState(file: string, state: SpecState): void {
  const objects = Object.fromEntries(Object.keys(state.objects).sort().map((k) => [k, state.objects[k]]));
  writeFileAtomic(file, `${JSON.stringify({ version: 1, objects }, null, 2)}\n`, 0o644);
}

/** Hold the state file's lock; returns the release function. */
export function lockState(file: string): () => void {
  try {
    return acquireLockSync(file, { timeoutMs: 5_000, staleMs: 10 * 60_000 });
  } catch (e) {
    throw new AdctlError('STATE_LOCKED', `another adctl apply or import is using ${file}`, ExitCode.CONFLICT, {
      hint: 'wait for it to finish and run the command again', cause: e,
    });
  }
}

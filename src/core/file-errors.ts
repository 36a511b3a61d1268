/**
 * Problems in files users write (posts.yaml, campaign specs): each problem is one string that
 * starts with its path (`posts[3].at: …`), and all of a file's problems travel in one usage error
 * (exit 64) so the user fixes them in one go. Shared by every file format adctl reads.
 */
import type { z } from 'zod';
import { AdctlError, ExitCode } from './errors.js';

/** `['posts', 3, 'at']` → `posts[3].at`; the empty path is `(file)`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out || '(file)';
}

/**
 * zod issues as `path: problem` lines. `special` may word an issue better for one format (it
 * returns undefined to keep the default wording).
 */
export function zodProblems(issues: ReadonlyArray<z.core.$ZodIssue>, special?: (issue: z.core.$ZodIssue) => string | undefined): string[] {
  const out: string[] = [];
  for (const i of issues) {
    const own = special?.(i);
    if (own !== undefined) out.push(own);
    else if (i.code === 'unrecognized_keys') {
      for (const k of i.keys) out.push(`${formatPath([...i.path, k])}: unknown key`);
    } else if (i.code === 'invalid_type' && /received undefined$/.test(i.message)) {
      out.push(`${formatPath(i.path)}: required`);
    } else {
      out.push(`${formatPath(i.path)}: ${i.message.replace(/^Invalid input: /, '')}`);
    }
  }
  return out;
}

/** One usage error (exit 64) naming the file and listing its problems (the first 20 in the message, all in details). */
export function fileProblemsError(code: string, name: string, problems: string[], hint: string): AdctlError {
  const shown = problems.slice(0, 20);
  const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more` : '';
  return new AdctlError(
    code,
    problems.length === 1 ? `${name}: ${problems[0]}` : `${name}: ${problems.length} problems: ${shown.join('; ')}${more}`,
    ExitCode.USAGE,
    { hint, details: { problems } },
  );
}

/** Errors quote hostile input: what reaches the terminal is one line with control characters escaped. */
import { describe, expect, it } from 'vitest';
import { usageError } from '../../src/core/errors.js';
import { renderError } from '../../src/cli/render-error.js';

function shown(json: boolean): string {
  let out = '';
  renderError(usageError('INVALID_TIME', '--at "2026\n\u001b[31mRED\rX\u0007" is not a time adctl can read', 'write RFC 3339'), { json, debug: false, redact: (t) => t, write: (t) => (out += t) });
  return out;
}

describe('renderError', () => {
  it('folds line breaks and escapes other control characters (no cursor moves, no colours from input)', () => {
    expect(shown(false)).toBe('error: --at "2026 \\u001b[31mRED\\u000dX\\u0007" is not a time adctl can read\nhint: write RFC 3339\n');
    const doc = JSON.parse(shown(true)) as { error: { message: string; exitCode: number } };
    expect(doc.error).toMatchObject({ message: '--at "2026 \\u001b[31mRED\\u000dX\\u0007" is not a time adctl can read', exitCode: 64 });
  });
});

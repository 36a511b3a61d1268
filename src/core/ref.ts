/**
 * Refs name objects across platforms: `<platform>:<id>` (DESIGN §2). No zod here: refs are parsed
 * on every command and this stays cheap.
 */
import { AdctlError, ExitCode } from './errors.js';
import type { ParsedRef } from './model.js';

const REF = /^(x|meta):([A-Za-z0-9_-]{1,64})$/;

export function parseRef(text: string): ParsedRef {
  const m = REF.exec(text.trim());
  if (!m) {
    throw new AdctlError('INVALID_REF', `"${text}" is not a ref`, ExitCode.USAGE, {
      hint: 'write <platform>:<id>, for example x:8wku2 or meta:120210000000001 (see `adctl campaign list`)',
    });
  }
  return { platform: m[1] as ParsedRef['platform'], id: m[2]! };
}

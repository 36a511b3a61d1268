/**
 * The one place errors are rendered (DESIGN §7). Human mode: one line and a hint line on stderr.
 * `--json`: `{"error":{code,message,hint,exitCode}}` on stderr. A stack trace appears only with
 * `--debug`, and is redacted like everything else.
 */
import { AdctlError, ExitCode } from '../core/errors.js';

export interface RenderErrorOptions {
  json: boolean;
  debug: boolean;
  redact: (text: string) => string;
  write: (text: string) => void;
  style?: { red: (s: string) => string; dim: (s: string) => string };
}

/** Anything thrown becomes an AdctlError; unexpected ones are internal errors (exit 1). */
export function toAdctlError(e: unknown): AdctlError {
  if (e instanceof AdctlError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new AdctlError('INTERNAL_ERROR', `internal error: ${message.split('\n')[0]}`, ExitCode.FAILURE, {
    hint: 'this is a bug in adctl; run again with --debug and report the output (it is redacted)',
    cause: e,
  });
}

export function renderError(e: unknown, options: RenderErrorOptions): number {
  const err = toAdctlError(e);
  // Messages quote what the user (or a file someone else wrote) gave: line breaks fold into one
  // line, and other control characters are shown escaped so none can move the cursor or recolour
  // the terminal.
  const oneLine = (s: string) => options.redact(s).replace(/\s*\n\s*/g, ' ').trim()
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (options.json) {
    const doc = err.toJSON();
    doc.message = oneLine(err.message);
    if (err.hint) doc.hint = oneLine(err.hint);
    options.write(`${JSON.stringify({ error: doc })}\n`);
  } else {
    const red = options.style?.red ?? ((s: string) => s);
    const ref = err.requestId ? ` (request id ${err.requestId})` : '';
    options.write(`${red('error:')} ${oneLine(err.message)}${ref}\n`);
    if (err.hint) options.write(`hint: ${oneLine(err.hint)}\n`);
  }
  if (options.debug) {
    const cause = (err as { cause?: unknown }).cause;
    const stack = cause instanceof Error && cause.stack ? cause.stack : err.stack;
    if (stack) options.write(`${(options.style?.dim ?? ((s: string) => s))(options.redact(stack))}\n`);
  }
  return err.exitCode;
}

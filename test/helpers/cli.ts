/**
 * Run adctl in this process: the same `main` that `bin/adctl.js` calls, with its own environment,
 * stdin, stdout and stderr (src/cli/io.ts), so a check that needs no separate process costs
 * milliseconds instead of a Node start-up. The result has the shape of the e2e helper's `runCli`.
 *
 * Use it for checks of behaviour and output. Keep spawning (test/e2e/helpers.ts) for what only a
 * process shows: start-up and the modules it loads, signals and kills, concurrent processes,
 * terminals, and exit paths that end the process.
 *
 * Contract: runs are sequential within a file (vitest runs a file's tests one at a time); two
 * overlapping in-process runs are refused rather than interleaved.
 */
import { Readable, Writable } from 'node:stream';
import { format } from 'node:util';
import { vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { cliEnv, tempConfigDir, type CliOptions, type CliResult } from '../e2e/helpers.js';

class Capture extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    done();
  }
}

let running = false;

export interface InProcessOptions extends Omit<CliOptions, 'traceModules' | 'timeoutMs'> {
  /**
   * Also record what the run writes past its IO port (the worker's own stdout/stderr, console.*),
   * which a spawned process would have printed too: an SDK's console.log, a stray process write.
   * It is returned as `stray` and kept off the test output.
   */
  captureStray?: boolean;
}

export async function runInProcess(args: string[], options: InProcessOptions = {}): Promise<CliResult & { stray: string }> {
  if (running) throw new Error('runInProcess: another in-process run is still going; spawn with runCli for concurrent runs');
  running = true;
  const configDir = options.configDir ?? tempConfigDir();
  const env = cliEnv(configDir, options.env);
  const stdout = new Capture();
  const stderr = new Capture();
  let code = 0;
  const io: CliIo = {
    env,
    stdin: Readable.from(options.input ? [options.input] : []),
    stdout,
    stderr,
    setExitCode: (c) => {
      code = c;
    },
  };
  let stray = '';
  const capture = (chunk: unknown) => {
    stray += String(chunk);
    return true;
  };
  const spies = options.captureStray ? [
    vi.spyOn(process.stdout, 'write').mockImplementation(capture),
    vi.spyOn(process.stderr, 'write').mockImplementation(capture),
    ...(['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((m) => vi.spyOn(console, m).mockImplementation((...a: unknown[]) => void capture(`${format(...a)}\n`))),
  ] : [];
  try {
    await main([process.execPath, 'adctl', ...args], io);
  } finally {
    for (const spy of spies) spy.mockRestore();
    running = false;
  }
  return { code, stdout: stdout.text, stderr: stderr.text, modules: [], stray };
}

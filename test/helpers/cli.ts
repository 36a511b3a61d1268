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
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { isolationEnv, tempConfigDir, type CliOptions, type CliResult } from '../e2e/helpers.js';

class Capture extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    done();
  }
}

let running = false;

export async function runInProcess(args: string[], options: Omit<CliOptions, 'traceModules' | 'timeoutMs'> = {}): Promise<CliResult> {
  if (running) throw new Error('runInProcess: another in-process run is still going; spawn with runCli for concurrent runs');
  running = true;
  const configDir = options.configDir ?? tempConfigDir();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '',
    HOME: configDir,
    ADCTL_CONFIG_DIR: configDir,
    NO_PROXY: '127.0.0.1,localhost',
    ...isolationEnv(),
  };
  for (const [k, v] of Object.entries(options.env ?? {})) if (v !== undefined) env[k] = v;
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
  try {
    await main([process.execPath, 'adctl', ...args], io);
  } finally {
    running = false;
  }
  return { code, stdout: stdout.text, stderr: stderr.text, modules: [] };
}

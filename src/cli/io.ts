/**
 * The process a command runs in, as one port: environment, standard streams and the exit code.
 * `bin/adctl.js` runs with the real process; in-process tests hand `main` their own, so a command
 * never reads `process.env` or writes `process.stdout` directly. Contract: a command's exit code
 * reaches the caller only through `setExitCode`, never `process.exit`.
 */
import type { Command } from './commander.js';

export type CliStream = NodeJS.WritableStream & { isTTY?: boolean };

export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: CliStream;
  stderr: CliStream;
  setExitCode(code: number): void;
}

export function processIo(): CliIo {
  return {
    env: process.env,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    setExitCode: (code) => {
      process.exitCode = code;
    },
  };
}

const IO = Symbol('adctl.io');
type WithIo = Command & { [IO]?: CliIo };

/** Attach the IO to the root program; every subcommand finds it through `ioOf`. */
export function attachIo(program: Command, io: CliIo): void {
  (program as WithIo)[IO] = io;
}

export function ioOf(cmd: Command): CliIo {
  let root: Command = cmd;
  while (root.parent) root = root.parent;
  return (root as WithIo)[IO] ?? processIo();
}

/** All of a stream as text (secrets piped on stdin, lists of refs). */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

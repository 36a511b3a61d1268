/**
 * `adctl sandbox serve|reset|status`. The sandbox normally runs inside each adctl process; `serve`
 * runs it standalone on a fixed port for users' own CI and scripts.
 */
import type { Command } from '../commander.js';
import { join } from 'node:path';
import { usageError } from '../../core/errors.js';
import { action, examples } from '../run.js';

async function sandboxPaths(env: NodeJS.ProcessEnv) {
  const { defaultConfigDir } = await import('../../core/settings.js');
  const dir = join(defaultConfigDir(env), 'sandbox');
  return { dir, stateFile: join(dir, 'state.json'), serverFile: join(dir, 'server.json') };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function registerSandboxCommands(program: Command): void {
  const sandbox = program.command('sandbox').description('the built-in X and Meta emulator on 127.0.0.1');

  const serve = sandbox
    .command('serve')
    .description('run the sandbox in the foreground until Ctrl-C, for your own CI and scripts')
    .option('--port <port>', 'port on 127.0.0.1 (0 picks a free one)', '4010');
  serve.action(action<{ port: string }>(async (ctx) => {
    const port = Number(ctx.opts.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError('INVALID_PORT', `--port ${ctx.opts.port} is not a port`, 'use 0–65535');
    const paths = await sandboxPaths(ctx.env);
    const { startSandbox } = await import('../../sandbox/server.js');
    const { writeFileAtomic } = await import('../../core/fs.js');
    const server = await startSandbox({ port, stateFile: paths.stateFile });
    writeFileAtomic(paths.serverFile, JSON.stringify({ pid: process.pid, url: server.url, startedAt: new Date().toISOString() }));
    const env = { ADCTL_X_API_URL: server.url, ADCTL_X_ADS_API_URL: server.url, ADCTL_X_UPLOAD_URL: server.url, ADCTL_META_GRAPH_URL: server.url };
    if (ctx.out.json) ctx.out.data({ url: server.url, port: server.port, stateFile: paths.stateFile, env });
    else {
      ctx.out.line(server.url);
      ctx.out.notice(`Sandbox listening on ${server.url} (state: ${paths.stateFile}). Point adctl at it with:`);
      for (const [k, v] of Object.entries(env)) ctx.out.notice(`  export ${k}=${v}`);
      ctx.out.notice('and run adctl with --sandbox. Ctrl-C stops it.');
    }
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    const { rmSync } = await import('node:fs');
    rmSync(paths.serverFile, { force: true });
  }));
  examples(serve, ['adctl sandbox serve --port 4010', 'adctl sandbox serve --port 0 --json &']);

  const reset = sandbox.command('reset').description('restore the sandbox\'s seeded demo data');
  reset.action(action(async (ctx) => {
    const paths = await sandboxPaths(ctx.env);
    const [{ StateStore }, { seedState }] = await Promise.all([import('../../sandbox/state.js'), import('../../sandbox/server.js')]);
    new StateStore(paths.stateFile, () => seedState(new Date())).reset();
    if (ctx.out.json) return ctx.out.data({ reset: true, stateFile: paths.stateFile });
    ctx.out.notice(`Sandbox state restored to the seed (${paths.stateFile}).`);
  }));
  examples(reset, ['adctl sandbox reset', 'adctl sandbox reset --json']);

  const status = sandbox.command('status').description('where the sandbox keeps its state, what it holds, and whether a standalone server runs');
  status.action(action(async (ctx) => {
    const paths = await sandboxPaths(ctx.env);
    const { readFileIfExists } = await import('../../core/fs.js');
    const stateText = readFileIfExists(paths.stateFile);
    const counts: Record<string, Record<string, number>> = {};
    if (stateText) {
      const state = JSON.parse(stateText) as Record<string, unknown>;
      for (const platform of ['x', 'meta']) {
        const part = (state[platform] ?? {}) as Record<string, unknown>;
        counts[platform] = Object.fromEntries(Object.entries(part).filter(([, v]) => Array.isArray(v)).map(([k, v]) => [k, (v as unknown[]).length]));
      }
    }
    const server = JSON.parse(readFileIfExists(paths.serverFile) ?? 'null') as { pid: number; url: string } | null;
    const running = server && pidAlive(server.pid) ? server.url : null;
    const doc = { stateFile: paths.stateFile, initialised: !!stateText, objects: counts, server: running };
    if (ctx.out.json) return ctx.out.data(doc);
    ctx.out.line(`state      ${paths.stateFile}${stateText ? '' : ' (not created yet: the first command seeds it)'}`);
    for (const [p, c] of Object.entries(counts)) ctx.out.line(`${p.padEnd(11)}${Object.entries(c).map(([k, n]) => `${n} ${k}`).join(', ')}`);
    ctx.out.line(`server     ${running ?? 'not running (commands use an in-process sandbox)'}`);
  }));
  examples(status, ['adctl sandbox status', 'adctl sandbox status --json']);
}

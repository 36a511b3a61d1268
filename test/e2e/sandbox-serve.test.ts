/**
 * `adctl sandbox serve` runs the emulator standalone for users' own CI: another adctl process
 * points at it with the ADCTL_*_URL variables and --sandbox.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, cliEnv, parseJson, runCli, tempConfigDir } from './helpers.js';

describe('sandbox serve', () => {
  it('serves on a port, answers another adctl, and stops cleanly on SIGTERM', async () => {
    const serverDir = tempConfigDir();
    const child = spawn(process.execPath, [BIN, 'sandbox', 'serve', '--port', '0', '--json'], {
      env: cliEnv(serverDir),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const info = await new Promise<{ url: string; env: Record<string, string> }>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        try {
          resolve(JSON.parse(out) as { url: string; env: Record<string, string> });
        } catch {
          // wait for the rest of the document
        }
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
    });
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const status = await runCli(['sandbox', 'status', '--json'], { configDir: serverDir });
    expect(parseJson<{ server: string | null }>(status.stdout).server).toBe(info.url);

    const client = await runCli(['campaign', 'list', '--sandbox', '--json'], { env: { ...info.env, CI: 'true' } });
    expect(client.code, client.stderr).toBe(0);
    expect(client.stderr).toContain(info.url);
    expect(parseJson<Array<{ platform: string }>>(client.stdout).map((c) => c.platform)).toEqual(expect.arrayContaining(['x', 'meta']));

    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

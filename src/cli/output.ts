/**
 * Where output goes (DESIGN §7): data on stdout, messages on stderr. Human output is tables and
 * short lines, with colour only on a TTY and never under NO_COLOR or --no-color; `--json` prints
 * exactly one JSON document on stdout. chalk loads only when colour is really on.
 */
import type { ChalkInstance } from 'chalk';

export interface OutputOptions {
  json: boolean;
  color: boolean;
  quiet?: boolean;
  stdout?: NodeJS.WritableStream & { isTTY?: boolean };
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
}

type Style = (s: string) => string;
const plain: Style = (s) => s;

export class Output {
  readonly json: boolean;
  private readonly stdout: NodeJS.WritableStream;
  private readonly stderr: NodeJS.WritableStream;
  private chalk: ChalkInstance | undefined;
  private readonly colorWanted: boolean;

  constructor(options: OutputOptions) {
    this.json = options.json;
    this.stdout = options.stdout ?? process.stdout;
    this.stderr = options.stderr ?? process.stderr;
    this.colorWanted = options.color;
  }

  static colorEnabled(env: NodeJS.ProcessEnv, flag: boolean, stream: { isTTY?: boolean }): boolean {
    if (!flag) return false;
    if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
    if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
    return !!stream.isTTY && env.TERM !== 'dumb';
  }

  async init(): Promise<void> {
    if (this.colorWanted && !this.chalk) {
      const { Chalk } = await import('chalk');
      this.chalk = new Chalk({ level: 1 });
    }
  }

  get style(): { bold: Style; dim: Style; red: Style; yellow: Style; green: Style; cyan: Style } {
    const c = this.chalk;
    return c
      ? { bold: c.bold, dim: c.dim, red: c.red, yellow: c.yellow, green: c.green, cyan: c.cyan }
      : { bold: plain, dim: plain, red: plain, yellow: plain, green: plain, cyan: plain };
  }

  /** Exactly one JSON document on stdout. */
  data(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  line(text = ''): void {
    this.stdout.write(`${text}\n`);
  }

  /** A message for people, on stderr. */
  notice(text: string): void {
    this.stderr.write(`${text}\n`);
  }

  warn(text: string): void {
    this.stderr.write(`${this.style.yellow('warning:')} ${text}\n`);
  }

  trace(text: string): void {
    this.stderr.write(`${this.style.dim(`debug: ${text}`)}\n`);
  }

  /** A plain table: header in bold, columns padded, no borders (easy to grep and cut). */
  table(headers: string[], rows: string[][]): void {
    if (rows.length === 0) return;
    const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const fmt = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
    this.line(this.style.bold(fmt(headers)));
    for (const r of rows) this.line(fmt(r));
  }
}

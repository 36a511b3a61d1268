#!/usr/bin/env node
/**
 * `npm run test:dates`: the whole vitest suite under faketime at shifted dates, to show that no test
 * depends on the day it runs. Each run shifts the clock of vitest and of everything it spawns (the
 * e2e helpers pass faketime's variables on to the CLI: test/e2e/helpers.ts `clockEnv`); the shift
 * is relative, so time still runs and every process agrees on "now".
 *
 * Shifts: ADCTL_TEST_DATES, separated by spaces or commas, each either a faketime offset (`+400d`,
 * `-400d`, `+36h`) or an instant (`2027-10-30T23:30:00Z`) that the run starts at. Extra arguments go
 * to vitest (`npm run test:dates -- test/e2e/post.test.ts`). Exit 0 only if every run passed.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// A year and more either way, and the evening before Berlin's autumn DST change, which is also the
// end of October in New York and Tokyo's 31 October: "tomorrow", "+2 days" and the month presets
// cross a DST change and a month boundary.
const DEFAULT_SHIFTS = ['-400d', '+400d', '2027-10-30T23:30:00Z'];

function fail(message) {
  console.error(`test:dates: ${message}`);
  process.exit(2);
}

const probe = spawnSync('faketime', ['-f', '+0d', 'true'], { stdio: 'ignore' });
if (probe.error || probe.status !== 0) fail('faketime is not installed or does not run (hint: apt-get install faketime)');

const shifts = (process.env.ADCTL_TEST_DATES ?? DEFAULT_SHIFTS.join(' ')).split(/[\s,]+/).filter(Boolean);
if (shifts.length === 0) fail('ADCTL_TEST_DATES names no shift');

const isOffset = (shift) => /^[+-]\d+(\.\d+)?[smhdy]?$/.test(shift);
for (const shift of shifts) {
  if (!isOffset(shift) && Number.isNaN(Date.parse(shift))) fail(`"${shift}" is neither a faketime offset (+400d, -36h) nor an ISO 8601 instant`);
}

/** A faketime offset (`+400d`) for a shift; an instant becomes the offset from now to it, in seconds (taken just before its run). */
function offsetOf(shift) {
  if (isOffset(shift)) return shift;
  const sec = Math.round((Date.parse(shift) - Date.now()) / 1000);
  return `${sec < 0 ? '-' : '+'}${Math.abs(sec)}s`;
}

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, y: 365 * 86_400_000 };
/** What a faketime offset should move the clock by, in ms (libfaketime's units; a year is 365 days). */
function offsetMs(offset) {
  const [, num, unit] = /^([+-]\d+(?:\.\d+)?)([smhdy]?)$/.exec(offset);
  return Number(num) * UNIT_MS[unit || 's'];
}

const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) fail('npm run build failed');

const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const results = [];
for (const shift of shifts) {
  const offset = offsetOf(shift);
  const realMs = Date.now();
  const seen = spawnSync('faketime', ['-f', offset, process.execPath, '-e', 'console.log(new Date().toISOString())'], { encoding: 'utf8' });
  const saw = seen.stdout.trim();
  const skewDays = (Date.parse(saw) - realMs) / 86_400_000;
  console.log(`\ntest:dates: shift ${shift} (faketime -f ${offset}): processes see ${saw || '(nothing)'} (${skewDays >= 0 ? '+' : ''}${skewDays.toFixed(2)} days); real clock ${new Date(realMs).toISOString()}`);
  if (seen.status !== 0 || Number.isNaN(skewDays)) {
    results.push({ shift, saw, ok: false, why: 'faketime did not run node' });
    continue;
  }
  if (Math.abs(Date.parse(saw) - realMs - offsetMs(offset)) > 120_000) {
    results.push({ shift, saw, ok: false, why: 'node did not see the shifted clock; the suite was not run' });
    continue;
  }
  const started = Date.now();
  const r = spawnSync('faketime', ['-f', offset, process.execPath, vitest, 'run', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  const secs = Math.round((Date.now() - started) / 1000);
  results.push({ shift, saw, ok: r.status === 0, why: r.status === 0 ? `passed in ${secs} s` : `failed (exit ${r.status ?? r.signal}) after ${secs} s` });
}

console.log('\ntest:dates summary:');
for (const r of results) console.log(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.shift.padEnd(22)} ${r.saw.padEnd(25)} ${r.why}`);
process.exit(results.every((r) => r.ok) ? 0 : 1);

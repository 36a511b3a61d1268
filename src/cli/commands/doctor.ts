/**
 * `adctl doctor`: checks config, secrets, keyring, credentials, API versions and the clock, one
 * line each. Thin: the checks are in services/doctor.ts, loaded inside the action.
 */
import type { Command } from '../commander.js';
import { action, examples } from '../run.js';

export function registerDoctorCommands(program: Command): void {
  const doctor = program.command('doctor')
    .description('check config, secrets, keyring, credentials (one cheap read each), API versions and clock skew; one OK/WARN/FAIL line per check');
  doctor.action(action(async (ctx) => {
    const { runDoctor } = await import('../../services/doctor.js');
    const result = await runDoctor({ env: ctx.env, openSession: () => ctx.session() });
    if (ctx.out.json) {
      ctx.out.data(result.checks);
      return result.exitCode;
    }
    const st = ctx.out.style;
    const width = Math.max(...result.checks.map((c) => c.check.length));
    for (const c of result.checks) {
      const colour = c.status === 'OK' ? st.green : c.status === 'WARN' ? st.yellow : st.red;
      ctx.out.line(`${colour(c.status.padEnd(4))}  ${c.check.padEnd(width)}  ${c.detail}`);
      if (c.hint) ctx.out.line(`${' '.repeat(6 + width)}  hint: ${c.hint}`);
    }
    const count = (s: string) => result.checks.filter((c) => c.status === s).length;
    ctx.out.notice(`doctor: ${count('OK')} OK, ${count('WARN')} WARN, ${count('FAIL')} FAIL`);
    return result.exitCode;
  }));
  doctor.addHelpText('after', `
Output: one line per check, "OK|WARN|FAIL  <check>  <detail>", and a hint line under each WARN
and FAIL. With --json: an array of {"check","status","detail","hint"} (hint is null when OK).
Exit: 0 when every check is OK or WARN; 78 when a configuration check fails (config, profile,
secrets file mode, API version, clock); else 4 when a credentials check fails; else the failing
check's code (75 when a platform could not be reached). No secret is ever printed.`);
  examples(doctor, ['adctl doctor', 'adctl doctor --profile acme --json', "adctl doctor --json | jq '.[] | select(.status != \"OK\")'"]);
}

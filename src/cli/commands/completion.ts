/**
 * `adctl completion bash|zsh|fish`: prints a completion script. Commands and flags are read from
 * the commander tree when the script is generated; profile names and refs are listed at completion
 * time by the hidden `adctl __complete profiles|refs`, which read only local state (the config, and
 * the audit log for refs of objects adctl created or changed that were not deleted); no network.
 * A command completes refs where it declares an argument named `ref` or `refs`.
 */
import { Argument, type Command } from '../commander.js';
import { action, examples } from '../run.js';

interface Node { path: string; subs: string[]; flags: string[]; takesRef: boolean }

function walk(cmd: Command, prefix: string, out: Node[]): void {
  const subs = cmd.commands.filter((c) => !c.name().startsWith('__')).map((c) => c.name());
  const flags = cmd.options.map((o) => o.long).filter((f): f is string => !!f);
  const takesRef = cmd.registeredArguments.some((a) => a.name() === 'ref' || a.name() === 'refs');
  out.push({ path: prefix, subs, flags, takesRef });
  for (const c of cmd.commands) if (!c.name().startsWith('__')) walk(c, prefix ? `${prefix} ${c.name()}` : c.name(), out);
}

const PROFILE_ARG_CMDS = ['profile use', 'profile show', 'profile remove', 'profile rename', 'profile env'];

function bash(nodes: Node[], globals: string[]): string {
  const cases = nodes.map((n) => `    "${n.path}") words="${[...n.subs, ...n.flags, ...globals].join(' ')}" ;;`).join('\n');
  const refCases = nodes.filter((n) => n.takesRef).map((n) => `    "${n.path}"|"${n.path} "*) [[ "$cur" != -* ]] && { _adctl_refs; return; } ;;`).join('\n');
  return `# adctl bash completion: eval "$(adctl completion bash)"
# Refs contain ':', where bash splits words: complete the whole word, then drop what is already typed up to its last ':'.
_adctl_refs() {
  local line="\${COMP_LINE:0:COMP_POINT}" word pre i
  word="\${line##* }"
  COMPREPLY=($(compgen -W "$(adctl __complete refs 2>/dev/null)" -- "$word"))
  if [[ "$word" == *:* ]]; then pre="\${word%"\${word##*:}"}"; for i in "\${!COMPREPLY[@]}"; do COMPREPLY[$i]="\${COMPREPLY[$i]#"$pre"}"; done; fi
}
_adctl() {
  local cur prev path="" w words
  cur="\${COMP_WORDS[COMP_CWORD]}"; prev="\${COMP_WORDS[COMP_CWORD-1]}"
  if [[ "$prev" == "--profile" ]]; then COMPREPLY=($(compgen -W "$(adctl __complete profiles 2>/dev/null)" -- "$cur")); return; fi
  for w in "\${COMP_WORDS[@]:1:COMP_CWORD-1}"; do [[ "$w" == -* ]] && continue; if [[ -z "$path" ]]; then path="$w"; else path="$path $w"; fi; done
  case "$path" in
${PROFILE_ARG_CMDS.map((c) => `    "${c}") COMPREPLY=($(compgen -W "$(adctl __complete profiles 2>/dev/null)" -- "$cur")); return ;;`).join('\n')}
${refCases}
  esac
  case "$path" in
${cases.replace('    "")', '    "")')}
    *) words="${globals.join(' ')}" ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _adctl adctl
`;
}

function zsh(nodes: Node[], globals: string[]): string {
  return `#compdef adctl
# adctl zsh completion: eval "$(adctl completion zsh)"
autoload -U +X bashcompinit && bashcompinit
${bash(nodes, globals).split('\n').filter((l) => !l.startsWith('# adctl bash')).join('\n')}`;
}

function fish(nodes: Node[], globals: string[]): string {
  const lines = ['# adctl fish completion: adctl completion fish | source', 'complete -c adctl -f'];
  for (const n of nodes) {
    const depth = n.path ? n.path.split(' ') : [];
    const cond = depth.length === 0 ? '__fish_use_subcommand' : `__fish_seen_subcommand_from ${depth[depth.length - 1]}`;
    for (const s of n.subs) lines.push(`complete -c adctl -n '${cond}' -a '${s}'`);
    for (const f of n.flags) lines.push(`complete -c adctl -n '${cond}' -l '${f.replace(/^--/, '')}'`);
  }
  for (const g of globals) lines.push(`complete -c adctl -l '${g.replace(/^--/, '')}'`);
  lines.push(`complete -c adctl -l profile -x -a '(adctl __complete profiles 2>/dev/null)'`);
  lines.push(`complete -c adctl -n '__fish_seen_subcommand_from use show remove rename env' -a '(adctl __complete profiles 2>/dev/null)'`);
  for (const n of nodes.filter((x) => x.takesRef)) {
    const words = n.path.split(' ');
    lines.push(`complete -c adctl -n '__fish_seen_subcommand_from ${words[0]}; and __fish_seen_subcommand_from ${words[words.length - 1]}' -a '(adctl __complete refs 2>/dev/null)'`);
  }
  return `${lines.join('\n')}\n`;
}

export function registerCompletionCommands(program: Command): void {
  const completion = program.command('completion').description('print a shell completion script (commands, flags, profile names and refs; local state only)')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(['bash', 'zsh', 'fish']));
  completion.action(action(async (ctx) => {
    const nodes: Node[] = [];
    walk(program, '', nodes);
    const globals = nodes[0]!.flags;
    nodes[0]!.flags = [];
    const shell = completion.args[0]!;
    ctx.io.stdout.write(shell === 'bash' ? bash(nodes, globals) : shell === 'zsh' ? zsh(nodes, globals) : fish(nodes, globals));
  }));
  examples(completion, ['eval "$(adctl completion bash)"', 'eval "$(adctl completion zsh)"', 'adctl completion fish | source']);

  const hidden = program.command('__complete', { hidden: true }).argument('<what>');
  hidden.action(action(async (ctx) => {
    if (hidden.args[0] === 'refs') {
      try {
        const [{ defaultConfigDir }, { readAudit }] = await Promise.all([import('../../core/settings.js'), import('../../services/audit.js')]);
        // Newest first; a ref whose latest successful change deleted it is left out.
        const last = new Map<string, string>();
        for (const e of readAudit(defaultConfigDir(ctx.env))) if (e.ref && e.outcome === 'ok') last.set(e.ref, e.operation);
        const refs = [...last].filter(([, op]) => !op.endsWith('.delete')).map(([ref]) => ref).reverse();
        if (refs.length) ctx.io.stdout.write(`${refs.join('\n')}\n`);
      } catch {
        // Never an error in the user's prompt.
      }
      return;
    }
    if (hidden.args[0] !== 'profiles') return;
    try {
      const [{ ConfigStore }, { defaultConfigDir }, { ProfilesSectionSchema }] = await Promise.all([
        import('../../core/config.js'), import('../../core/settings.js'), import('../../core/profiles.js'),
      ]);
      const s = ProfilesSectionSchema.parse((await ConfigStore.open(defaultConfigDir(ctx.env))).read());
      ctx.io.stdout.write(`${Object.keys(s.profiles).sort().join('\n')}\n`);
    } catch {
      // A completion must never print an error into the user's prompt.
    }
  }));
}

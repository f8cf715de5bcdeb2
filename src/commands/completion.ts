import { readTableNames } from '../ops/tableNameCache.js';
import { JOB_ALIASES } from '../pipelines/jobs.js';
import { LAYERS, loadProfile, profileNames } from '../profiles/profile.js';
import type { Settings } from '../profiles/settings.js';
import { GLOBAL_OPTIONS } from './args.js';
import type { Command, OptionSpec, PositionalSpec } from './command.js';

/** Words lhctl takes first besides its commands. */
const ENTRY_WORDS = ['help', 'repl', 'console'];

/**
 * The shell scripts call `lhctl __complete -- <words after lhctl, the last one being typed>` and
 * offer what it prints, one candidate a line. Everything comes from the command specs, the profiles
 * and the table-name cache `lhctl tables` writes: no engine is started, so a TAB answers at once.
 */
export function completeWords(commands: readonly Command[], words: readonly string[], settings: Settings): string[] {
  const current = words.at(-1) ?? '';
  const before = words.slice(0, -1);
  const visible = commands.filter((c) => !c.hidden);
  const matching = (candidates: readonly string[]): string[] => [...new Set(candidates)].filter((c) => c.startsWith(current));
  if (before.length === 0) return matching([...visible.flatMap((c) => [c.name, ...(c.aliases ?? [])]), ...ENTRY_WORDS]);
  const find = (name: string): Command | undefined => commands.find((c) => c.name === name || c.aliases?.includes(name));
  if (before[0] === 'help') {
    const named = before[1] ? find(before[1]) : undefined;
    if (before.length === 1) return matching(visible.map((c) => c.name));
    return before.length === 2 ? matching(named?.verbs?.map((v) => v.name) ?? []) : [];
  }
  const command = find(before[0]!);
  if (!command) return [];
  const specs: Record<string, OptionSpec> = { ...GLOBAL_OPTIONS, ...command.options };
  const specOf = (word: string): OptionSpec | undefined => (word.startsWith('--') ? specs[word.slice(2)] : Object.values(specs).find((s) => s.short !== undefined && word === `-${s.short}`));
  const env = envNamed(words) ?? settings.defaultEnv;

  const previous = before.at(-1)!;
  const valueOf = previous.startsWith('-') && !previous.includes('=') ? specOf(previous) : undefined;
  if (valueOf && valueOf.type !== 'boolean') return matching(valuesFor(valueOf, settings, env));
  if (current.startsWith('-')) return matching(Object.keys(specs).map((name) => `--${name}`));

  const operands: string[] = [];
  for (let i = 1; i < before.length; i++) {
    const word = before[i]!;
    if (word.startsWith('-')) {
      const spec = word.includes('=') ? undefined : specOf(word);
      if (spec && spec.type !== 'boolean') i++;
    } else operands.push(word);
  }
  if (command.verbs) {
    if (operands.length === 0) return matching(command.verbs.map((v) => v.name));
    const verb = command.verbs.find((v) => v.name === operands[0]);
    return matching(valuesFor(positionalAt(verb?.positionals ?? [], operands.length - 1), settings, env));
  }
  return matching(valuesFor(positionalAt(command.positionals, operands.length), settings, env));
}

function positionalAt(positionals: readonly PositionalSpec[], index: number): PositionalSpec | undefined {
  const last = positionals.at(-1);
  return positionals[index] ?? (last?.variadic ? last : undefined);
}

function envNamed(words: readonly string[]): string | undefined {
  for (let i = 0; i < words.length - 1; i++) {
    if (words[i] === '--env' || words[i] === '-e') return words[i + 1];
    if (words[i]!.startsWith('--env=')) return words[i]!.slice('--env='.length);
  }
  return undefined;
}

function valuesFor(spec: Pick<OptionSpec, 'values' | 'complete'> | undefined, settings: Settings, env: string): readonly string[] {
  if (spec?.values) return spec.values;
  switch (spec?.complete) {
    case 'env':
      return profileNames(settings.profilesDir);
    case 'job':
      return Object.keys(JOB_ALIASES);
    case 'table':
      return tableNames(settings, env);
    default:
      return [];
  }
}

/** Cached names as `local_gold.dim_customer`, and as operators often type them, `gold.dim_customer`. */
function tableNames(settings: Settings, env: string): string[] {
  const names = readTableNames(settings.home, env);
  let schemas: Record<string, string> = {};
  try {
    const profile = loadProfile(settings.profilesDir, env);
    schemas = Object.fromEntries(LAYERS.map((layer) => [profile.schemas[layer].toLowerCase(), layer]));
  } catch {
    // an unknown env still completes the names it has cached
  }
  const layered = names.flatMap((name) => {
    const [schema, table] = name.split('.');
    const layer = schema ? schemas[schema.toLowerCase()] : undefined;
    return layer && table ? [`${layer}.${table}`] : [];
  });
  return [...layered, ...names];
}

/** `lhctl completion bash|zsh|fish`: a script that asks `lhctl __complete` for the words to offer. */
export const COMPLETION_SCRIPTS: Record<'bash' | 'zsh' | 'fish', string> = {
  bash: `# lhctl completion for bash: source it, e.g. in ~/.bashrc:  source <(lhctl completion bash)
_lhctl() {
  local IFS=$'\\n'
  local cur="\${COMP_WORDS[COMP_CWORD]}"
  COMPREPLY=( $("\${COMP_WORDS[0]}" __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) )
  # Nothing to offer (a --file path, say): the shell's own file names.
  [ \${#COMPREPLY[@]} -eq 0 ] && COMPREPLY=( $(compgen -f -- "$cur") )
  return 0
}
complete -F _lhctl lhctl
`,
  zsh: `#compdef lhctl
# lhctl completion for zsh: source it, e.g. in ~/.zshrc:  source <(lhctl completion zsh)
(( $+functions[compdef] )) || { autoload -Uz compinit && compinit -u; }
_lhctl() {
  local -a candidates
  candidates=( "\${(@f)$("\${words[1]}" __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}" )
  candidates=( \${candidates:#} )
  if (( \${#candidates} )); then compadd -Q -- "\${candidates[@]}"; else _files; fi
}
compdef _lhctl lhctl
`,
  fish: `# lhctl completion for fish: lhctl completion fish > ~/.config/fish/completions/lhctl.fish
function __lhctl_complete
    set -l words (commandline -opc) (commandline -ct)
    $words[1] __complete -- $words[2..-1] 2>/dev/null
end
complete -c lhctl -f -a '(__lhctl_complete)'
`,
};

export const completionCommand: Command = {
  name: 'completion',
  summary: 'Shell completion script (commands, verbs, options, envs, table names) for bash, zsh or fish',
  positionals: [],
  verbs: [
    { name: 'bash', summary: 'Completion for bash', examples: ['source <(lhctl completion bash)'] },
    { name: 'zsh', summary: 'Completion for zsh', examples: ['source <(lhctl completion zsh)'] },
    { name: 'fish', summary: 'Completion for fish', examples: ['lhctl completion fish > ~/.config/fish/completions/lhctl.fish'] },
  ],
  options: {},
  examples: ['source <(lhctl completion bash)', "lhctl tables   # caches the env's table names for completion"],
  async run(_ctx, args) {
    const shell = args.positionals[0] as keyof typeof COMPLETION_SCRIPTS;
    return { data: { kind: 'message', text: COMPLETION_SCRIPTS[shell].trimEnd() } };
  },
};

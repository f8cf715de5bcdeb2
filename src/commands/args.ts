import { parseArgs } from 'node:util';
import { UsageError } from '../core/errors.js';
import { closestNames } from '../core/suggest.js';
import { formatDuration, parseDuration } from '../ops/durations.js';
import type { Command, OptionSpec, OptionValue, ParsedArgs, PositionalSpec, VerbSpec } from './command.js';

export type OutputFormat = 'table' | 'json' | 'csv';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'csv'];

/** Options every command takes. */
export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  env: { type: 'string', short: 'e', description: 'Environment profile (local, dev, qa, prod)', valueName: '<name>', complete: 'env' },
  output: { type: 'enum', short: 'o', values: OUTPUT_FORMATS, description: 'table | json | csv (default table)', valueName: '<format>' },
  limit: { type: 'number', integer: true, min: 0, description: 'Print at most N rows per result', valueName: '<N>' },
  yes: { type: 'boolean', short: 'y', description: 'Confirm destructive operations without asking' },
  'no-color': { type: 'boolean', description: 'Plain output (also NO_COLOR=1)' },
  debug: { type: 'boolean', description: 'On an error, print its stack too (for bug reports)' },
  help: { type: 'boolean', short: 'h', description: 'Show help' },
};

export interface GlobalArgs {
  env: string | undefined;
  output: OutputFormat;
  limit: number | undefined;
  yes: boolean;
  noColor: boolean;
  help: boolean;
}

/** The global options a command does not declare itself (its own `--limit` is the one meaning). */
export function globalOptionsOf(command: Pick<Command, 'options'>): Record<string, OptionSpec> {
  return Object.fromEntries(Object.entries(GLOBAL_OPTIONS).filter(([name]) => !(name in command.options)));
}

const UNIT_WORDS = { s: 'seconds', m: 'minutes', h: 'hours', d: 'days' } as const;

function numberRule(spec: OptionSpec): string {
  const kind = spec.integer ? 'a whole number' : 'a number';
  if (spec.min !== undefined && spec.max !== undefined) return `${kind} from ${spec.min} to ${spec.max}`;
  if (spec.min !== undefined) return `${kind} >= ${spec.min}`;
  if (spec.max !== undefined) return `${kind} <= ${spec.max}`;
  return kind;
}

/** One typed value from the text typed: the one number parser and the one duration grammar. */
export function typedValue(name: string, spec: OptionSpec, text: string): OptionValue {
  const flag = `--${name}`;
  switch (spec.type) {
    case 'number': {
      const n = Number(text.trim());
      const ok = text.trim() !== '' && Number.isFinite(n) && (!spec.integer || Number.isInteger(n)) && (spec.min === undefined || n >= spec.min) && (spec.max === undefined || n <= spec.max);
      if (!ok) throw new UsageError(`${flag} must be ${numberRule(spec)} (got "${text}")`);
      return n;
    }
    case 'duration': {
      const ms = parseDuration(text, flag, spec.bareUnit);
      if ((spec.min !== undefined && ms < spec.min) || (spec.max !== undefined && ms > spec.max)) {
        throw new UsageError(`${flag} must be between ${formatDuration(spec.min ?? 0)} and ${formatDuration(spec.max ?? Number.MAX_SAFE_INTEGER)} (got ${text})`);
      }
      return ms;
    }
    case 'enum': {
      if (spec.values?.includes(text)) return text;
      const near = closestNames(text, spec.values ?? []);
      throw new UsageError(`${flag} must be one of ${(spec.values ?? []).join(', ')} (got "${text}")`, near.length ? { hint: `Did you mean ${flag} ${near[0]}?` } : {});
    }
    default:
      return text;
  }
}

/** The verb a command line names; unknown verbs get the closest ones. */
export function verbOf(command: Command, word: string | undefined): VerbSpec | undefined {
  if (!command.verbs) return undefined;
  const wanted = word ?? command.defaultVerb;
  const verb = command.verbs.find((v) => v.name === wanted);
  if (verb) return verb;
  const names = command.verbs.map((v) => v.name);
  const near = wanted ? closestNames(wanted, names) : [];
  throw new UsageError(wanted ? `unknown ${command.name} verb "${wanted}"` : `\`lhctl ${command.name}\` needs a verb: ${names.join(', ')}`, {
    hint: near.length ? `Did you mean \`lhctl ${command.name} ${near[0]}\`? Use one of: ${names.join(', ')}.` : `Use one of: ${names.join(', ')}.`,
  });
}

function parseError(command: Command, specs: Record<string, OptionSpec>, error: unknown): UsageError {
  const message = (error as Error).message;
  const ambiguous = /Option '(-{1,2}[^']+)' argument is ambiguous/.exec(message)?.[1];
  if (ambiguous) {
    return new UsageError(`the value given to ${ambiguous} starts with "-"`, { hint: `Write it as ${ambiguous}=<value> if that is what you meant.` });
  }
  const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
  const near = unknown ? closestNames(unknown.replace(/^-+/, ''), Object.keys(specs)) : [];
  return new UsageError(unknown ? `unknown option ${unknown} for \`lhctl ${command.name}\`` : message.split('\n')[0]!, {
    hint: near.length ? `Did you mean --${near[0]}? See \`lhctl ${command.name} --help\`.` : `See \`lhctl ${command.name} --help\`.`,
  });
}

/** The one parser of command lines: options typed and checked by their specs, the verb and operands counted. */
export function parseCommandArgs(command: Command, argv: string[]): { global: GlobalArgs; args: ParsedArgs } {
  const specs = { ...GLOBAL_OPTIONS, ...command.options };
  const options = Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [
      name,
      { type: spec.type === 'boolean' ? ('boolean' as const) : ('string' as const), ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}) },
    ]),
  );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw parseError(command, specs, error);
  }
  const raw = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const help = raw['help'] === true;
  const values: Record<string, OptionValue> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const value = raw[name];
    values[name] = typeof value === 'string' && !help ? typedValue(name, spec, value) : value;
  }
  const global: GlobalArgs = {
    env: values['env'] as string | undefined,
    output: (values['output'] ?? 'table') as OutputFormat,
    limit: values['limit'] as number | undefined,
    yes: values['yes'] === true,
    noColor: values['no-color'] === true,
    help,
  };
  const positionals = [...parsed.positionals];
  const args: ParsedArgs = { positionals, options: Object.fromEntries(Object.keys(command.options).map((name) => [name, values[name]])) };
  if (help) return { global, args };
  let operands: PositionalSpec[] = command.positionals;
  let usage = `lhctl ${command.name}`;
  let typed = positionals;
  if (command.verbs) {
    const verb = verbOf(command, positionals[0])!;
    if (positionals.length === 0) positionals.push(verb.name);
    operands = verb.positionals ?? [];
    usage = `lhctl ${command.name} ${verb.name}`;
    typed = positionals.slice(1);
  }
  for (const [name, spec] of Object.entries(command.options)) {
    if (spec.required && values[name] === undefined) {
      throw new UsageError(`\`${usage}\` needs --${name}`, { hint: command.examples?.[0] ? `Example: ${command.examples[0]}` : `See \`${usage} --help\`.` });
    }
  }
  const required = operands.filter((p) => p.required).length;
  if (typed.length < required) {
    const missing = operands[typed.length]!;
    throw new UsageError(`\`${usage}\` needs <${missing.name}>: ${missing.description}`, { hint: `See \`${usage} --help\`.` });
  }
  if (!operands.some((p) => p.variadic) && typed.length > operands.length) {
    throw new UsageError(`too many arguments for \`${usage}\`: ${typed.slice(operands.length).join(' ')}`, { hint: `See \`${usage} --help\`.` });
  }
  return { global, args };
}

function optionLines(specs: Record<string, OptionSpec>): string[] {
  return Object.entries(specs).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.valueName ? ` ${spec.valueName}` : ''}`;
    const bare = spec.type === 'duration' && spec.bareUnit ? ` (a bare number is ${UNIT_WORDS[spec.bareUnit]})` : '';
    return `  ${flag.padEnd(30)} ${spec.description}${bare}${spec.required ? ' (required)' : ''}`;
  });
}

function operandUsage(positionals: readonly PositionalSpec[]): string {
  return positionals.map((p) => (p.required ? `<${p.name}>` : `[${p.name}${p.variadic ? '…' : ''}]`)).join(' ');
}

export const EXIT_CODES = 'Exit codes: 0 ok, 1 failure, 2 usage error or safety refusal, 130 interrupted (Ctrl-C).';

export function commandHelp(command: Command, verbName?: string): string {
  const verb = verbName ? command.verbs?.find((v) => v.name === verbName) : undefined;
  if (verb) return verbHelp(command, verb);
  const head = command.verbs ? `<verb> [operands]` : operandUsage(command.positionals);
  const usage = `lhctl ${command.name} ${head} [options]`;
  return [
    `${command.summary}`,
    '',
    `Usage: ${usage.replace(/\s+/g, ' ')}`,
    ...(command.verbs
      ? ['', 'Verbs:', ...command.verbs.map((v) => `  ${`${v.name}${v.name === command.defaultVerb ? ' (default)' : ''}`.padEnd(30)} ${v.summary}`)]
      : command.positionals.length
        ? ['', 'Arguments:', ...command.positionals.map((p) => `  ${p.name.padEnd(30)} ${p.description}`)]
        : []),
    ...(Object.keys(command.options).length ? ['', 'Options:', ...optionLines(command.options)] : []),
    '',
    'Global options:',
    ...optionLines(globalOptionsOf(command)),
    ...(command.examples?.length ? ['', 'Examples:', ...command.examples.map((e) => `  ${e}`)] : []),
    ...(command.verbs ? ['', `Run \`lhctl ${command.name} <verb> --help\` for a verb's operands and options.`] : []),
    '',
  ].join('\n');
}

function verbHelp(command: Command, verb: VerbSpec): string {
  const own = Object.fromEntries(Object.entries(command.options).filter(([, spec]) => !spec.verbs || spec.verbs.includes(verb.name)));
  const operands = verb.positionals ?? [];
  return [
    verb.summary,
    '',
    `Usage: ${`lhctl ${command.name} ${verb.name} ${operandUsage(operands)} [options]`.replace(/\s+/g, ' ')}`,
    ...(operands.length ? ['', 'Arguments:', ...operands.map((p) => `  ${p.name.padEnd(30)} ${p.description}`)] : []),
    ...(Object.keys(own).length ? ['', 'Options:', ...optionLines(own)] : []),
    '',
    'Global options:',
    ...optionLines(globalOptionsOf(command)),
    ...(verb.examples?.length ? ['', 'Examples:', ...verb.examples.map((e) => `  ${e}`)] : []),
    '',
  ].join('\n');
}

export function mainHelp(commands: readonly Command[], version: string): string {
  return [
    `lhctl ${version} — operations console for a retail Delta lakehouse (local Spark + Delta, or Databricks)`,
    '',
    'Usage:',
    '  lhctl [--env e]            open the full-screen console (on a terminal)',
    '  lhctl repl [--env e]       a line REPL: SQL and commands, with history and completion',
    '  lhctl <command> [options]  run one command (for scripts)',
    '',
    'Commands:',
    ...commands.filter((c) => !c.hidden).map((c) => `  ${[c.name, ...(c.aliases ?? [])].join(', ').padEnd(26)} ${c.summary}`),
    '',
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    EXIT_CODES,
    "Run `lhctl help <command>` or `lhctl <command> --help` for a command's options;",
    '`lhctl completion bash|zsh|fish` prints shell completion.',
    '',
  ].join('\n');
}

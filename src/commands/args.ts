import { parseArgs } from 'node:util';
import { UsageError } from '../core/errors.js';
import { closestNames } from '../core/suggest.js';
import type { Command, OptionSpec, ParsedArgs } from './command.js';

export type OutputFormat = 'table' | 'json' | 'csv';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'csv'];

/** Options every command takes. */
export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  env: { type: 'string', short: 'e', description: 'Environment profile (local, dev, qa, prod)', valueName: '<name>' },
  output: { type: 'string', short: 'o', description: 'table | json | csv (default table)', valueName: '<format>' },
  limit: { type: 'string', description: 'Print at most N rows per result', valueName: '<N>' },
  yes: { type: 'boolean', short: 'y', description: 'Confirm destructive operations without asking' },
  'no-color': { type: 'boolean', description: 'Plain output (also NO_COLOR=1)' },
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

export function parseCommandArgs(command: Command, argv: string[]): { global: GlobalArgs; args: ParsedArgs } {
  const specs = { ...GLOBAL_OPTIONS, ...command.options };
  const options = Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [name, { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}) }]),
  );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message;
    const ambiguous = /Option '(-{1,2}[^']+)' argument is ambiguous/.exec(message)?.[1];
    if (ambiguous) {
      throw new UsageError(`the value given to ${ambiguous} starts with "-"`, { hint: `Write it as ${ambiguous}=<value> if that is what you meant.` });
    }
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
    const near = unknown ? closestNames(unknown.replace(/^-+/, ''), Object.keys(specs)) : [];
    throw new UsageError(unknown ? `unknown option ${unknown} for \`lhctl ${command.name}\`` : message.split('\n')[0]!, {
      hint: near.length ? `Did you mean --${near[0]}? See \`lhctl ${command.name} --help\`.` : `See \`lhctl ${command.name} --help\`.`,
    });
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const output = (values['output'] ?? 'table') as string;
  if (!OUTPUT_FORMATS.includes(output as OutputFormat)) throw new UsageError(`--output must be one of ${OUTPUT_FORMATS.join(', ')} (got "${output}")`);
  let limit: number | undefined;
  if (values['limit'] !== undefined) {
    limit = Number(values['limit']);
    if (!Number.isInteger(limit) || limit < 0) throw new UsageError(`--limit must be a whole number >= 0 (got "${String(values['limit'])}")`);
  }
  const global: GlobalArgs = {
    env: values['env'] as string | undefined,
    output: output as OutputFormat,
    limit,
    yes: values['yes'] === true,
    noColor: values['no-color'] === true,
    help: values['help'] === true,
  };
  const commandOptions = Object.fromEntries(Object.keys(command.options).map((name) => [name, values[name]]));
  const required = command.positionals.filter((p) => p.required).length;
  if (!global.help && parsed.positionals.length < required) {
    const missing = command.positionals[parsed.positionals.length]!;
    throw new UsageError(`\`lhctl ${command.name}\` needs <${missing.name}>: ${missing.description}`, { hint: `See \`lhctl ${command.name} --help\`.` });
  }
  const variadic = command.positionals.some((p) => p.variadic);
  if (!variadic && parsed.positionals.length > command.positionals.length) {
    throw new UsageError(`too many arguments for \`lhctl ${command.name}\`: ${parsed.positionals.slice(command.positionals.length).join(' ')}`);
  }
  return { global, args: { positionals: parsed.positionals, options: commandOptions } };
}

function optionLines(specs: Record<string, OptionSpec>): string[] {
  return Object.entries(specs).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.valueName ? ` ${spec.valueName}` : ''}`;
    return `  ${flag.padEnd(30)} ${spec.description}`;
  });
}

export function commandHelp(command: Command): string {
  const usage = `lhctl ${command.name} ${command.positionals.map((p) => (p.required ? `<${p.name}>` : `[${p.name}${p.variadic ? '…' : ''}]`)).join(' ')} [options]`;
  return [
    `${command.summary}`,
    '',
    `Usage: ${usage.replace(/\s+/g, ' ')}`,
    ...(command.positionals.length ? ['', 'Arguments:', ...command.positionals.map((p) => `  ${p.name.padEnd(30)} ${p.description}`)] : []),
    ...(Object.keys(command.options).length ? ['', 'Options:', ...optionLines(command.options)] : []),
    '',
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS),
    ...(command.examples?.length ? ['', 'Examples:', ...command.examples.map((e) => `  ${e}`)] : []),
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
    ...commands.map((c) => `  ${[c.name, ...(c.aliases ?? [])].join(', ').padEnd(26)} ${c.summary}`),
    '',
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Exit codes: 0 ok, 1 failure, 2 usage error or safety refusal.',
    'Run `lhctl <command> --help` for a command\'s options.',
    '',
  ].join('\n');
}

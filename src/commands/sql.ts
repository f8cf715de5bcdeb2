import { readFileSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import { splitStatements } from '../sql/split.js';
import { classifyStatement, type StatementClass } from '../sql/statementKind.js';
import { statementSummary } from '../sql/statements.js';
import { loadPolicy } from '../ops/governance/policy.js';
import { statementsAsRole } from '../ops/governance/localPreview.js';
import { requireWritable } from './arm.js';
import { envCan } from './capability.js';
import type { Command, CommandData } from './command.js';

/** `lhctl sql`: run statements in order; each result streams to the output as it arrives. */
export const sqlCommand: Command = {
  name: 'sql',
  summary: "Run SQL statements on the env's engine and stream the results",
  positionals: [{ name: 'statements', description: 'SQL text; several statements separated by ;', required: false, variadic: true }],
  options: {
    file: { type: 'string', short: 'f', complete: 'file', description: 'Read the statements from a file (- reads stdin)', valueName: '<path>' },
    as: { type: 'string', description: "Read as a group of the access policy sees it (the local preview's views; not a security boundary)", valueName: '<group>' },
  },
  examples: [
    'lhctl sql "select * from local_gold.dim_store limit 5"',
    'lhctl sql --as analysts "select email from gold.dim_customer limit 5"',
    'lhctl sql --file checks.sql --output json',
    'cat checks.sql | lhctl sql -f -',
  ],
  async run(ctx, args) {
    const file = args.options['file'];
    let text: string;
    if (typeof file === 'string') {
      if (args.positionals.length > 0) throw new UsageError('give the SQL either as an argument or with --file, not both');
      // `-f -` reads a pipe (`cat checks.sql | lhctl sql -f -`); on a terminal it would wait for typing, so it is refused.
      if (file === '-' && process.stdin.isTTY === true) throw new UsageError('--file - reads SQL from a pipe, and stdin is a terminal', { hint: 'Pipe the SQL in: lhctl sql -f - < checks.sql' });
      try {
        text = readFileSync(file === '-' ? 0 : file, 'utf8');
      } catch (error) {
        throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
    } else {
      text = args.positionals.join(' ');
    }
    let statements = splitStatements(text);
    if (statements.length === 0) throw new UsageError('no SQL statement given', { hint: 'Example: lhctl sql "select 1"' });
    const role = args.options['as'];
    if (typeof role === 'string') {
      if (envCan(ctx.profile, 'grants')) {
        throw new UsageError(`--as previews the access policy on envs that enforce none; on env "${ctx.profile.name}" Unity Catalog enforces it`, {
          hint: 'Run lhctl grants plan to compare the env with the policy.',
        });
      }
      const written = statements.find((s) => classifyStatement(s).kind !== 'read');
      if (written !== undefined) throw new UsageError(`--as runs reads only; \`${statementSummary(written, 60)}\` writes`);
      statements = await statementsAsRole(
        () => ctx.engine(),
        ctx.settings.home,
        ctx.profile,
        loadPolicy(),
        role,
        statements,
        (line) => ctx.ui.progress(line),
        { signal: ctx.signal },
      );
    }
    // Protected envs are read-only until armed, whatever --yes says: SQL can write anything, so the gate
    // there does not rest on where the line between write and destructive is drawn. Statements that
    // remove data ask first, everywhere.
    const gated = statements.map((statement) => ({ statement, ...classifyStatement(statement) })).filter((s) => s.kind !== 'read');
    if (gated.length > 0) {
      const destructive = gated.filter((s) => s.kind === 'destructive');
      await requireWritable(ctx, { description: `run ${gatedList(destructive.length > 0 ? destructive : gated)}`, destructive: destructive.length > 0, needsArming: true });
    }
    const engine = await ctx.engine();

    async function* results(): AsyncGenerator<CommandData> {
      for (const [index, statement] of statements.entries()) {
        if (statements.length > 1) ctx.ui.progress(`[${index + 1}/${statements.length}] ${statement.split('\n')[0]!.slice(0, 80)}`);
        const started = Date.now();
        const result = await engine.execute(statement, { signal: ctx.signal });
        if (result.columns.length === 0) {
          for await (const _ of result) {
            // a command's empty result
          }
          ctx.ui.progress(`OK (${((Date.now() - started) / 1000).toFixed(1)} s)`);
          continue;
        }
        yield { kind: 'table', columns: result.columns, rows: result };
      }
    }
    return { data: { kind: 'multi', results: results() } };
  },
};

/** "1 destructive statement: DROP (`drop table t`)", the class and what was recognised, for the gate's messages. */
function gatedList(gated: ReadonlyArray<StatementClass & { statement: string }>): string {
  const kind = gated[0]!.kind;
  const shown = gated.slice(0, 3).map((s) => `${s.operation} (\`${statementSummary(s.statement, 60)}\`)`);
  const more = gated.length > shown.length ? `, and ${gated.length - shown.length} more` : '';
  return `${gated.length} ${kind} statement${gated.length === 1 ? '' : 's'}: ${shown.join(', ')}${more}`;
}

import { join, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import { renderAirflowDags } from '../exports/airflow.js';
import { checkExport, checkPassed, writeExport, type ExportFile } from '../exports/files.js';
import { renderWorkflow, WORKFLOW_DIR } from '../exports/githubActions.js';
import { renderTerraform } from '../exports/terraform.js';
import { loadProfile } from '../profiles/profile.js';
import type { Command, CommandContext } from './command.js';
import { textTable } from './databricksContext.js';
import { stringOption } from './deltaTable.js';
import { renderForWorkspace } from './deploy.js';

interface ExportTarget {
  /** Folder written when --out is not given, relative to the working directory. */
  defaultOut(ctx: CommandContext): string;
  render(ctx: CommandContext): ExportFile[];
}

/** The envs the workflow deploys: qa follows main, prod follows version tags. */
const MAIN_ENV = 'qa';
const TAG_ENV = 'prod';

const TARGETS: Record<string, ExportTarget> = {
  airflow: {
    defaultOut: (ctx) => join('exports', 'airflow', ctx.profile.name),
    render: (ctx) => renderAirflowDags(ctx.profile),
  },
  'github-actions': {
    defaultOut: () => WORKFLOW_DIR,
    render: (ctx) => [renderWorkflow({ onMain: loadProfile(ctx.settings.profilesDir, MAIN_ENV), onTag: loadProfile(ctx.settings.profilesDir, TAG_ENV) })],
  },
  terraform: {
    defaultOut: (ctx) => join('exports', 'terraform', ctx.profile.name),
    render: (ctx) => renderTerraform(ctx.profile, renderForWorkspace),
  },
};

/** `lhctl export`: files generated from the job definitions and profiles; `--check` compares instead of writing. */
export const exportCommand: Command = {
  name: 'export',
  summary: 'Generate Airflow DAGs, a GitHub Actions workflow or Terraform from the job definitions and profiles',
  positionals: [{ name: 'target', description: Object.keys(TARGETS).join(' | '), required: true }],
  options: {
    out: { type: 'string', description: 'Folder to write (default exports/<target>/<env>; .github/workflows for github-actions)', valueName: '<dir>' },
    check: { type: 'boolean', description: 'Write nothing; exit 1 when the folder differs from what would be generated' },
  },
  examples: [
    'lhctl export airflow --env qa --out dags/',
    'lhctl export github-actions',
    'lhctl export terraform --env prod --out infra/prod',
    'lhctl export terraform --env qa --out infra/qa --check',
  ],
  async run(ctx, args) {
    const name = args.positionals[0]!;
    const target = TARGETS[name];
    if (target === undefined) throw new UsageError(`no export target "${name}"`, { hint: `Targets: ${Object.keys(TARGETS).join(', ')}.` });
    const out = stringOption(args, 'out') ?? target.defaultOut(ctx);
    const dir = resolve(out);
    const files = target.render(ctx);
    if (args.options['check'] === true) {
      const statuses = checkExport(dir, files);
      const passed = checkPassed(statuses);
      const title = passed ? `${out} matches what lhctl generates` : `${out} differs from what lhctl generates: run \`lhctl export ${name}\` without --check`;
      return {
        data: textTable(
          title,
          ['file', 'state'],
          statuses.map((s) => [join(out, s.path), s.state]),
        ),
        exitCode: passed ? 0 : 1,
      };
    }
    const statuses = writeExport(dir, files);
    return {
      data: textTable(
        `export ${name} → ${out}`,
        ['file', 'state'],
        statuses.map((s) => [join(out, s.path), s.state]),
      ),
    };
  },
};

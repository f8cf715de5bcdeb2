import { basename } from 'node:path';
import type { Profile } from '../profiles/profile.js';
import { generatedHeader, type ExportFile } from './files.js';

/** Where the workflow goes in a repository, and where `--out` defaults to for it. */
export const WORKFLOW_DIR = '.github/workflows';
export const WORKFLOW_FILE = 'lhctl.yml';

/** What each deploy job listens for: qa follows the main branch, prod a version tag. */
export interface DeployTargets {
  onMain: Profile;
  onTag: Profile;
}

/** Repository secrets for one env, e.g. DATABRICKS_CLIENT_ID_QA. OAuth M2M: a service principal's id and secret. */
export function secretNames(profile: Profile): Record<'DATABRICKS_HOST' | 'DATABRICKS_CLIENT_ID' | 'DATABRICKS_CLIENT_SECRET', string> {
  const suffix = profile.name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  return {
    DATABRICKS_HOST: `DATABRICKS_HOST_${suffix}`,
    DATABRICKS_CLIENT_ID: `DATABRICKS_CLIENT_ID_${suffix}`,
    DATABRICKS_CLIENT_SECRET: `DATABRICKS_CLIENT_SECRET_${suffix}`,
  };
}

function deployJob(profile: Profile, condition: string): string[] {
  const env = profile.name;
  const secrets = Object.entries(secretNames(profile)).map(([variable, secret]) => `      ${variable}: \${{ secrets.${secret} }}`);
  return [
    `  deploy-${env}:`,
    `    name: Deploy to ${env}`,
    '    needs: test',
    `    if: ${condition}`,
    '    runs-on: ubuntu-latest',
    // Protection rules (required reviewers) on this GitHub environment are the manual approval.
    `    environment: ${env}`,
    '    concurrency:',
    `      group: deploy-${env}`,
    '      cancel-in-progress: false',
    '    env:',
    // Credentials in the environment win over the profile's auth_profile; the client secret never reaches output.
    ...secrets,
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - name: Plan',
    '        run: |',
    `          { echo "### lhctl deploy --env ${env} --plan"; echo '\`\`\`'; ./lhctl deploy --env ${env} --plan --no-color; echo '\`\`\`'; } >> "$GITHUB_STEP_SUMMARY"`,
    '      - name: Deploy',
    `        run: ./lhctl deploy --env ${env} --yes --no-color`,
  ];
}

/** The CI/CD workflow: tests on every push and pull request, qa on main, prod on a version tag after approval. */
export function renderWorkflow(targets: DeployTargets): ExportFile {
  const { onMain, onTag } = targets;
  const header = generatedHeader(`the profiles ${basename(onMain.file)} and ${basename(onTag.file)} and the README's test command`, `lhctl export github-actions --out ${WORKFLOW_DIR}`);
  const text = [
    ...header.map((line) => `# ${line}`),
    '#',
    `# Repository secrets, per env (OAuth M2M service principal): ${[onMain, onTag].flatMap((p) => Object.values(secretNames(p))).join(', ')}.`,
    `# The GitHub environment "${onTag.name}" should require a reviewer: that is the manual approval before prod.`,
    'name: lhctl',
    'on:',
    '  push:',
    '    branches: [main]',
    "    tags: ['v*']",
    '  pull_request:',
    '  workflow_dispatch:',
    'permissions:',
    '  contents: read',
    'jobs:',
    '  test:',
    '    name: make test',
    '    runs-on: ubuntu-latest',
    '    timeout-minutes: 60',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - uses: actions/setup-java@v4',
    '        with:',
    '          distribution: temurin',
    "          java-version: '17'",
    '      - uses: actions/setup-python@v5',
    '        with:',
    "          python-version: '3.11'",
    '      - name: Tools the tests drive (tmux for the console test)',
    '        run: sudo apt-get update -qq && sudo apt-get install -y -qq tmux',
    '      - name: Tests',
    '        run: make test',
    '      - name: Generated files match their sources',
    `        run: ./lhctl export github-actions --check --out ${WORKFLOW_DIR}`,
    ...deployJob(onMain, "github.event_name == 'push' && github.ref == 'refs/heads/main'"),
    ...deployJob(onTag, "github.event_name == 'push' && startsWith(github.ref, 'refs/tags/v')"),
    '',
  ].join('\n');
  return { path: WORKFLOW_FILE, text };
}

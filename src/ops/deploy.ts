import { posix } from 'node:path';
import type { DatabricksWorkspace, jobs } from '../engines/databricks/workspace.js';
import { describeChange, settingsDiff, type FieldChange } from './jobDiff.js';

/** Tags deploy stamps on every job it owns; jobs are found by them, never by name alone. */
export const JOB_TAG = 'lhctl_job';
export const ENV_TAG = 'lhctl_env';

/** One rendered SQL file and the workspace path it is uploaded to. */
export interface SqlAsset {
  workspacePath: string;
  text: string;
}

export type DeployAction = 'create' | 'update' | 'unchanged';

export interface FilePlan {
  kind: 'file';
  name: string;
  action: DeployAction;
  text: string;
  /** For an update: `+3 -1 lines`. */
  detail: string;
}

export interface JobPlan {
  kind: 'job';
  name: string;
  action: DeployAction;
  jobId: number | undefined;
  settings: jobs.JobSettings;
  changes: FieldChange[];
}

export interface DeployPlan {
  env: string;
  files: FilePlan[];
  jobs: JobPlan[];
  warnings: string[];
}

/** The settings deploy sends: the declared job plus the ownership tags. */
export function ownedSettings(env: string, declared: jobs.JobSettings): jobs.JobSettings {
  return { ...declared, tags: { ...(declared.tags ?? {}), [JOB_TAG]: declared.name ?? '', [ENV_TAG]: env } };
}

/** The workspace jobs deploy owns for an env, by job name; the oldest wins when tags repeat. */
export async function ownedJobs(workspace: DatabricksWorkspace, env: string): Promise<{ byName: Map<string, number>; duplicates: string[] }> {
  const byName = new Map<string, number>();
  const duplicates: string[] = [];
  const listed = (await workspace.listJobs()).sort((a, b) => Number(a.job_id) - Number(b.job_id));
  for (const job of listed) {
    const tags = job.settings?.tags ?? {};
    const name = tags[JOB_TAG];
    if (!name || tags[ENV_TAG] !== env || job.job_id === undefined) continue;
    if (byName.has(name)) duplicates.push(`job ${job.job_id} also carries ${JOB_TAG}=${name}; job ${byName.get(name)} is the one deploy updates`);
    else byName.set(name, Number(job.job_id));
  }
  return { byName, duplicates };
}

/** `+3 -1 lines`: lines only in the new text and only in the old one, counted as multisets. */
export function lineChanges(before: string, after: string): string {
  const count = (text: string): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const line of text.split('\n')) counts.set(line, (counts.get(line) ?? 0) + 1);
    return counts;
  };
  const old = count(before);
  const next = count(after);
  let added = 0;
  let removed = 0;
  for (const [line, n] of next) added += Math.max(0, n - (old.get(line) ?? 0));
  for (const [line, n] of old) removed += Math.max(0, n - (next.get(line) ?? 0));
  return `+${added} -${removed} lines`;
}

/** Compare the declared files and jobs with the workspace; reads only. */
export async function planDeploy(workspace: DatabricksWorkspace, env: string, assets: SqlAsset[], declaredJobs: jobs.JobSettings[]): Promise<DeployPlan> {
  const files: FilePlan[] = [];
  for (const asset of assets) {
    const current = await workspace.exportFile(asset.workspacePath);
    const action: DeployAction = current === undefined ? 'create' : current === asset.text ? 'unchanged' : 'update';
    files.push({ kind: 'file', name: asset.workspacePath, action, text: asset.text, detail: action === 'update' ? lineChanges(current ?? '', asset.text) : '' });
  }
  const { byName, duplicates } = await ownedJobs(workspace, env);
  const jobPlans: JobPlan[] = [];
  for (const declared of declaredJobs) {
    const settings = ownedSettings(env, declared);
    const name = settings.name ?? '';
    const jobId = byName.get(name);
    if (jobId === undefined) {
      jobPlans.push({ kind: 'job', name, action: 'create', jobId, settings, changes: [] });
      continue;
    }
    const remote = await workspace.getJob(jobId);
    const changes = settingsDiff(settings, remote.settings ?? {});
    jobPlans.push({ kind: 'job', name, action: changes.length ? 'update' : 'unchanged', jobId, settings, changes });
  }
  return { env, files, jobs: jobPlans, warnings: duplicates };
}

export interface DeployProgress {
  (message: string): void;
}

/** Carry out a plan: folders, then files, then jobs. Unchanged objects are not written. */
export async function applyDeploy(workspace: DatabricksWorkspace, plan: DeployPlan, progress: DeployProgress = () => undefined): Promise<DeployPlan> {
  const writes = plan.files.filter((f) => f.action !== 'unchanged');
  const folders = [...new Set(plan.files.filter((f) => f.action === 'create').map((f) => posix.dirname(f.name)))].sort();
  for (const folder of folders) await workspace.mkdirs(folder);
  for (const file of writes) {
    progress(`${file.action === 'create' ? 'uploading' : 'updating'} ${file.name}`);
    await workspace.importFile(file.name, file.text);
  }
  const applied: JobPlan[] = [];
  for (const job of plan.jobs) {
    if (job.action === 'create') {
      progress(`creating job ${job.name}`);
      applied.push({ ...job, jobId: await workspace.createJob(job.settings) });
    } else if (job.action === 'update' && job.jobId !== undefined) {
      progress(`updating job ${job.name} (${job.changes.length} field${job.changes.length === 1 ? '' : 's'})`);
      await workspace.resetJob(job.jobId, job.settings);
      applied.push(job);
    } else {
      applied.push(job);
    }
  }
  return { ...plan, jobs: applied };
}

/** One line per object for the plan table: kind, name, action, what changes. */
export function planRows(plan: DeployPlan): Array<[string, string, string, string]> {
  return [
    ...plan.files.map((f): [string, string, string, string] => ['file', f.name, f.action, f.detail]),
    ...plan.jobs.map((j): [string, string, string, string] => ['job', j.jobId === undefined ? j.name : `${j.name} (${j.jobId})`, j.action, j.changes.map(describeChange).join('\n')]),
  ];
}

export function planIsEmpty(plan: DeployPlan): boolean {
  return [...plan.files, ...plan.jobs].every((o) => o.action === 'unchanged');
}

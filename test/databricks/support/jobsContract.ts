/**
 * Jobs API (2.2 endpoints, 2.1 JobSettings body), job permissions and Workspace files, as the
 * Databricks REST reference documents them: paths, methods, required fields, response shapes.
 */
import { ContractViolation, notFound, requireFields, requireOneOf, type Routes } from './restServer.js';

interface StoredRun {
  run_id: number;
  job_id: number;
  polls: number;
  taskKeys: string[];
  cancelled: boolean;
}

export interface JobsState {
  jobs: Map<number, { job_id: number; created_time: number; settings: Record<string, unknown> }>;
  runs: Map<number, StoredRun>;
  files: Map<string, string>;
  folders: Set<string>;
  permissions: Map<number, unknown[]>;
  /** Task that fails in every run, with the error runs/get-output reports. */
  failingTask?: { key: string; error: string };
  nextId: number;
}

export function newJobsState(): JobsState {
  return { jobs: new Map(), runs: new Map(), files: new Map(), folders: new Set(), permissions: new Map(), nextId: 1000 };
}

/** Job clusters by key; each needs a runtime version (node type or pool as the cloud requires). */
function checkJobClusters(value: unknown): Set<string> {
  if (value === undefined) return new Set();
  if (!Array.isArray(value)) throw new ContractViolation('`job_clusters` must be an array');
  return new Set(
    value.map((c) => {
      const cluster = requireFields(c, { job_cluster_key: 'string', new_cluster: 'object' });
      requireFields(cluster['new_cluster'], { spark_version: 'string' });
      return cluster['job_cluster_key'] as string;
    }),
  );
}

function checkSparkPythonTask(t: Record<string, unknown>, clusters: Set<string>): void {
  const python = requireFields(t['spark_python_task'], { python_file: 'string' });
  requireOneOf(python['source'] ?? 'WORKSPACE', 'spark_python_task.source', ['WORKSPACE', 'GIT']);
  const parameters = python['parameters'];
  if (parameters !== undefined && (!Array.isArray(parameters) || parameters.some((p) => typeof p !== 'string'))) {
    throw new ContractViolation('`spark_python_task.parameters` must be an array of strings');
  }
  // A Python task needs compute: a job cluster of this job, an existing cluster, a new one, or a serverless environment.
  const key = t['job_cluster_key'];
  if (key !== undefined && !clusters.has(String(key))) throw new ContractViolation(`task ${String(t['task_key'])}: job_cluster_key ${String(key)} names no job cluster`);
  if (key === undefined && t['existing_cluster_id'] === undefined && t['new_cluster'] === undefined && t['environment_key'] === undefined) {
    throw new ContractViolation(`task ${String(t['task_key'])}: a spark_python_task needs job_cluster_key, existing_cluster_id, new_cluster or environment_key`);
  }
}

function checkSettings(settings: unknown): Record<string, unknown> {
  const s = requireFields(settings, { name: 'string', tasks: 'array' });
  const clusters = checkJobClusters(s['job_clusters']);
  for (const task of s['tasks'] as unknown[]) {
    const t = requireFields(task, { task_key: 'string' });
    if (t['sql_task'] !== undefined) {
      const sql = requireFields(t['sql_task'], { warehouse_id: 'string' });
      if (sql['file'] !== undefined) requireOneOf(requireFields(sql['file'], { path: 'string' })['source'] ?? 'WORKSPACE', 'sql_task.file.source', ['WORKSPACE', 'GIT']);
    }
    if (t['spark_python_task'] !== undefined) checkSparkPythonTask(t, clusters);
    // Continuous jobs take neither task dependencies nor retry policies: the workspace restarts failed runs with backoff.
    if (s['continuous'] !== undefined && (t['depends_on'] !== undefined || t['max_retries'] !== undefined)) {
      throw new ContractViolation(`task ${String(t['task_key'])}: a continuous job's tasks take no depends_on and no retry policy`);
    }
  }
  if (s['schedule'] !== undefined) requireFields(s['schedule'], { quartz_cron_expression: 'string', timezone_id: 'string' });
  if (s['continuous'] !== undefined) {
    if (s['schedule'] !== undefined) throw new ContractViolation('a job has one trigger: `schedule` or `continuous`, not both');
    requireOneOf(requireFields(s['continuous'], {})['pause_status'] ?? 'UNPAUSED', 'continuous.pause_status', ['PAUSED', 'UNPAUSED']);
  }
  if (s['email_notifications'] !== undefined) {
    const notifications = requireFields(s['email_notifications'], {});
    for (const when of ['on_start', 'on_success', 'on_failure', 'on_duration_warning_threshold_exceeded']) {
      const list = notifications[when];
      if (list !== undefined && (!Array.isArray(list) || list.some((a) => typeof a !== 'string'))) throw new ContractViolation(`email_notifications.${when} must be an array of strings`);
    }
  }
  return s;
}

/** The run as runs/get reports it; each poll moves it one step: PENDING → RUNNING → TERMINATED. */
function runView(state: JobsState, run: StoredRun, advance: boolean): Record<string, unknown> {
  if (advance) run.polls += 1;
  const phase = run.cancelled ? 3 : Math.min(run.polls, 3);
  const failing = state.failingTask;
  const taskState = (key: string): Record<string, unknown> => {
    if (phase <= 1) return { life_cycle_state: 'PENDING', state_message: '' };
    if (phase === 2) return { life_cycle_state: 'RUNNING', state_message: '' };
    if (run.cancelled) return { life_cycle_state: 'TERMINATED', result_state: 'CANCELED', state_message: 'Run cancelled.' };
    return failing?.key === key
      ? { life_cycle_state: 'INTERNAL_ERROR', result_state: 'FAILED', state_message: 'Task failed.' }
      : { life_cycle_state: 'TERMINATED', result_state: 'SUCCESS', state_message: '' };
  };
  const tasks = run.taskKeys.map((key, i) => ({ run_id: run.run_id * 100 + i, task_key: key, attempt_number: 0, state: taskState(key) }));
  const failed = run.cancelled ? 'CANCELED' : failing && run.taskKeys.includes(failing.key) ? 'FAILED' : 'SUCCESS';
  return {
    job_id: run.job_id,
    run_id: run.run_id,
    run_name: state.jobs.get(run.job_id)?.settings['name'],
    start_time: 1764000000000 + run.run_id,
    run_page_url: `https://example.cloud.databricks.com/#job/${run.job_id}/run/${run.run_id}`,
    state: phase < 3 ? taskState('') : { life_cycle_state: 'TERMINATED', result_state: failed, state_message: '' },
    tasks,
  };
}

export function jobsRoutes(state: JobsState): Routes {
  const jobOf = (id: unknown): { job_id: number; created_time: number; settings: Record<string, unknown> } | undefined => state.jobs.get(Number(id));
  return {
    'GET /api/2.2/jobs/list': (call) => {
      const limit = Number(call.query['limit'] ?? 20);
      if (limit < 1 || limit > 100) throw new ContractViolation('`limit` must be between 1 and 100');
      const offset = Number(call.query['page_token'] ?? 0);
      const all = [...state.jobs.values()];
      const page = all.slice(offset, offset + limit).map((j) => ({ job_id: j.job_id, created_time: j.created_time, settings: { name: j.settings['name'], tags: j.settings['tags'] } }));
      const more = offset + limit < all.length;
      return { body: { jobs: page, has_more: more, ...(more ? { next_page_token: String(offset + limit) } : {}) } };
    },
    'GET /api/2.2/jobs/get': (call) => {
      const job = jobOf(call.query['job_id']);
      if (!job) return notFound(`Job ${call.query['job_id']}`);
      // The service fills in defaults nobody declared; deploy must not see them as drift.
      const tasks = (job.settings['tasks'] as Array<Record<string, unknown>>).map((t) => ({ run_if: 'ALL_SUCCESS', email_notifications: {}, ...t }));
      return { body: { job_id: job.job_id, created_time: job.created_time, settings: { email_notifications: {}, format: 'MULTI_TASK', ...job.settings, tasks } } };
    },
    'POST /api/2.2/jobs/create': (call) => {
      const settings = checkSettings(call.body);
      const job_id = state.nextId++;
      state.jobs.set(job_id, { job_id, created_time: Date.now(), settings });
      return { body: { job_id } };
    },
    'POST /api/2.2/jobs/reset': (call) => {
      const body = requireFields(call.body, { job_id: 'number', new_settings: 'object' });
      const job = jobOf(body['job_id']);
      if (!job) return notFound(`Job ${String(body['job_id'])}`);
      job.settings = checkSettings(body['new_settings']);
      return { body: {} };
    },
    'POST /api/2.2/jobs/run-now': (call) => {
      const body = requireFields(call.body, { job_id: 'number' });
      const job = jobOf(body['job_id']);
      if (!job) return notFound(`Job ${String(body['job_id'])}`);
      const run_id = state.nextId++;
      const taskKeys = (job.settings['tasks'] as Array<{ task_key: string }>).map((t) => t.task_key);
      state.runs.set(run_id, { run_id, job_id: job.job_id, polls: 0, taskKeys, cancelled: false });
      return { body: { run_id, number_in_job: run_id } };
    },
    'GET /api/2.2/jobs/runs/get': (call) => {
      const run = state.runs.get(Number(call.query['run_id']));
      return run ? { body: runView(state, run, true) } : notFound(`Run ${call.query['run_id']}`);
    },
    'GET /api/2.2/jobs/runs/get-output': (call) => {
      const taskRunId = Number(call.query['run_id']);
      const run = state.runs.get(Math.floor(taskRunId / 100));
      if (!run) return notFound(`Run ${taskRunId}`);
      const key = run.taskKeys[taskRunId % 100];
      const error = state.failingTask !== undefined && state.failingTask.key === key ? state.failingTask.error : undefined;
      return { body: { metadata: { run_id: taskRunId, task_key: key }, ...(error ? { error, error_trace: `${error}\n\tat …` } : {}) } };
    },
    'POST /api/2.2/jobs/runs/cancel': (call) => {
      const body = requireFields(call.body, { run_id: 'number' });
      const run = state.runs.get(Number(body['run_id']));
      if (!run) return notFound(`Run ${String(body['run_id'])}`);
      run.cancelled = true;
      return { body: {} };
    },
    'GET /api/2.2/jobs/runs/list': (call) => {
      const jobId = Number(call.query['job_id']);
      const runs = [...state.runs.values()].filter((r) => r.job_id === jobId).map((r) => runView(state, r, false));
      return { body: { runs, has_more: false } };
    },
    'PATCH /api/2.0/permissions/jobs/{}': (call, [id]) => {
      const body = requireFields(call.body, { access_control_list: 'array' });
      state.permissions.set(Number(id), body['access_control_list'] as unknown[]);
      return { body: { object_id: `/jobs/${id}`, object_type: 'job', access_control_list: body['access_control_list'] } };
    },
    'POST /api/2.0/workspace/mkdirs': (call) => {
      state.folders.add(requireFields(call.body, { path: 'string' })['path'] as string);
      return { body: {} };
    },
    'POST /api/2.0/workspace/import': (call) => {
      const body = requireFields(call.body, { path: 'string', content: 'string' });
      requireOneOf(body['format'] ?? 'SOURCE', 'format', ['AUTO', 'SOURCE', 'HTML', 'JUPYTER', 'DBC', 'R_MARKDOWN', 'RAW']);
      const path = body['path'] as string;
      if (!path.startsWith('/')) throw new ContractViolation('`path` must be absolute');
      if (state.files.has(path) && body['overwrite'] !== true) return { status: 400, body: { error_code: 'RESOURCE_ALREADY_EXISTS', message: `${path} already exists.` } };
      const parent = path.slice(0, path.lastIndexOf('/'));
      if (!state.folders.has(parent)) return notFound(`The parent folder (${parent})`);
      state.files.set(path, Buffer.from(body['content'] as string, 'base64').toString('utf8'));
      return { body: {} };
    },
    'GET /api/2.0/workspace/export': (call) => {
      const text = state.files.get(call.query['path'] ?? '');
      if (text === undefined) return notFound(`Path (${call.query['path']})`);
      return { body: { content: Buffer.from(text, 'utf8').toString('base64'), file_type: 'sql' } };
    },
  };
}

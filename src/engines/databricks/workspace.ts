import { ApiError, Config, WorkspaceClient, type catalog, type jobs, type sharing } from '@databricks/sdk-experimental';
import type { DatabricksAuth } from '../../profiles/databricksAuth.js';
import { Redactor } from '../../core/redaction.js';
import { WorkspaceNotFoundError, workspaceError } from './workspaceErrors.js';

export type { catalog, jobs, sharing };

/** Upper bound on items read from any paginated listing, so a huge workspace cannot stall a command. */
const MAX_LISTED = 5000;

/**
 * The workspace REST surface lhctl uses: Jobs, Workspace files, Shares, Recipients and job
 * permissions, over the SDK's WorkspaceClient with unified auth. Every failure comes back as a
 * typed, redacted lhctl error.
 */
export class DatabricksWorkspace {
  private readonly redactor: Redactor;
  private readonly client: WorkspaceClient;

  constructor(readonly auth: DatabricksAuth) {
    this.redactor = new Redactor(auth.secrets);
    const config = new Config({
      host: auth.host,
      profile: auth.configProfile,
      configFile: auth.configFile,
      env: auth.sdkEnv,
      // The SDK's own retry loop is bounded here; lhctl commands should fail within minutes.
      retryTimeoutSeconds: 120,
    });
    this.client = new WorkspaceClient(config, { product: 'lhctl', productVersion: '0.1.0' });
  }

  // --- Jobs -------------------------------------------------------------------------------

  listJobs(): Promise<jobs.BaseJob[]> {
    return this.call('list jobs', () => take(this.client.jobs.list({ limit: 100 })));
  }

  getJob(jobId: number): Promise<jobs.Job> {
    return this.call(`read job ${jobId}`, () => this.client.jobs.get({ job_id: jobId }));
  }

  async createJob(settings: jobs.JobSettings): Promise<number> {
    const created = await this.call(`create job ${settings.name ?? ''}`, () => this.client.jobs.create(settings as jobs.CreateJob));
    return Number(created.job_id);
  }

  async resetJob(jobId: number, settings: jobs.JobSettings): Promise<void> {
    await this.call(`update job ${settings.name ?? jobId}`, () => this.client.jobs.reset({ job_id: jobId, new_settings: settings }));
  }

  async updateJobPermissions(jobId: number, acl: jobs.JobAccessControlRequest[]): Promise<void> {
    await this.call(`set permissions of job ${jobId}`, () => this.patch(`/api/2.0/permissions/jobs/${jobId}`, { access_control_list: acl }));
  }

  async runNow(jobId: number, request: Omit<jobs.RunNow, 'job_id'> = {}): Promise<number> {
    const waiter = await this.call(`start job ${jobId}`, () => this.client.jobs.runNow({ ...request, job_id: jobId }));
    return Number(waiter.run_id);
  }

  getRun(runId: number): Promise<jobs.Run> {
    return this.call(`read run ${runId}`, () => this.client.jobs.getRun({ run_id: runId }));
  }

  getRunOutput(taskRunId: number): Promise<jobs.RunOutput> {
    return this.call(`read output of task run ${taskRunId}`, () => this.client.jobs.getRunOutput({ run_id: taskRunId }));
  }

  async cancelRun(runId: number): Promise<void> {
    // The SDK returns a waiter; lhctl follows the run itself, so the waiter is not awaited.
    await this.call(`cancel run ${runId}`, () => this.client.jobs.cancelRun({ run_id: runId }));
  }

  listRuns(request: jobs.ListRunsRequest, max: number): Promise<jobs.BaseRun[]> {
    return this.call('list runs', () => take(this.client.jobs.listRuns({ limit: Math.min(25, max), ...request }), max));
  }

  // --- Workspace files --------------------------------------------------------------------

  async mkdirs(path: string): Promise<void> {
    await this.call(`create workspace folder ${path}`, () => this.client.workspace.mkdirs({ path }));
  }

  /** Upload a file as a workspace file (not a notebook), replacing what is there. */
  async importFile(path: string, content: string): Promise<void> {
    const base64 = Buffer.from(content, 'utf8').toString('base64');
    await this.call(`upload ${path}`, () => this.client.workspace.import({ path, format: 'AUTO', content: base64, overwrite: true }));
  }

  /** The current text of a workspace file, or undefined when it does not exist. */
  async exportFile(path: string): Promise<string | undefined> {
    try {
      const exported = await this.call(`read ${path}`, () => this.client.workspace.export({ path, format: 'AUTO' }));
      return Buffer.from(exported.content ?? '', 'base64').toString('utf8');
    } catch (error) {
      if (error instanceof WorkspaceNotFoundError) return undefined;
      throw error;
    }
  }

  // --- Unity Catalog tables ---------------------------------------------------------------

  /** The tables of a schema with their columns; a schema that does not exist has none. */
  async listTables(catalogName: string, schemaName: string): Promise<catalog.TableInfo[]> {
    try {
      return await this.call(`list tables of ${catalogName}.${schemaName}`, () => take(this.client.tables.list({ catalog_name: catalogName, schema_name: schemaName })));
    } catch (error) {
      if (error instanceof WorkspaceNotFoundError) return [];
      throw error;
    }
  }

  // --- Shares -----------------------------------------------------------------------------

  listShares(): Promise<sharing.ShareInfo[]> {
    return this.call('list shares', () => take(this.client.shares.listShares({})));
  }

  getShare(name: string): Promise<sharing.ShareInfo> {
    return this.call(`read share ${name}`, () => this.client.shares.get({ name, include_shared_data: true }));
  }

  createShare(name: string, comment?: string): Promise<sharing.ShareInfo> {
    return this.call(`create share ${name}`, () => this.client.shares.create({ name, comment }));
  }

  updateShare(name: string, updates: sharing.SharedDataObjectUpdate[]): Promise<sharing.ShareInfo> {
    return this.call(`update share ${name}`, () => this.patch<sharing.ShareInfo>(`/api/2.1/unity-catalog/shares/${encodeURIComponent(name)}`, { updates }));
  }

  sharePermissions(name: string): Promise<sharing.GetSharePermissionsResponse> {
    return this.call(`read permissions of share ${name}`, () => this.client.shares.sharePermissions({ name }));
  }

  async updateSharePermissions(name: string, changes: sharing.PermissionsChange[]): Promise<void> {
    await this.call(`change permissions of share ${name}`, () => this.patch(`/api/2.1/unity-catalog/shares/${encodeURIComponent(name)}/permissions`, { changes }));
  }

  // --- Recipients -------------------------------------------------------------------------

  listRecipients(): Promise<sharing.RecipientInfo[]> {
    return this.call('list recipients', () => take(this.client.recipients.list({})));
  }

  getRecipient(name: string): Promise<sharing.RecipientInfo> {
    return this.call(`read recipient ${name}`, () => this.client.recipients.get({ name }));
  }

  createRecipient(name: string, comment?: string): Promise<sharing.RecipientInfo> {
    return this.call(`create recipient ${name}`, () => this.client.recipients.create({ name, comment, authentication_type: 'TOKEN' }));
  }

  rotateRecipientToken(name: string, existingTokenExpireInSeconds: number): Promise<sharing.RecipientInfo> {
    return this.call(`rotate the token of recipient ${name}`, () => this.client.recipients.rotateToken({ name, existing_token_expire_in_seconds: existingTokenExpireInSeconds }));
  }

  recipientSharePermissions(name: string): Promise<sharing.GetRecipientSharePermissionsResponse> {
    return this.call(`read shares of recipient ${name}`, () => this.client.recipients.sharePermissions({ name }));
  }

  /**
   * PATCH with a JSON body. The SDK (0.17) only attaches bodies to POST and PUT, so its PATCH
   * endpoints (shares update, share permissions, job permissions) would send an empty request.
   */
  private async patch<T = unknown>(path: string, body: unknown): Promise<T> {
    const config = this.client.config;
    const headers = new Headers({ 'Content-Type': 'application/json', Accept: 'application/json', 'User-Agent': 'lhctl/0.1.0' });
    await config.authenticate(headers);
    const url = new URL(path, await config.getHost());
    const response = await fetch(url, { method: 'PATCH', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(120_000) });
    const text = await response.text();
    let parsed: { error_code?: string; message?: string } = {};
    try {
      parsed = text ? (JSON.parse(text) as typeof parsed) : {};
    } catch {
      parsed = { message: `${response.status} ${response.statusText}` };
    }
    if (!response.ok) {
      throw new ApiError(parsed.message ?? response.statusText, parsed.error_code ?? '', response.status, parsed, []);
    }
    return parsed as T;
  }

  private async call<T>(action: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw workspaceError(error, action, this.auth, this.redactor);
    }
  }
}

async function take<T>(items: AsyncIterable<T>, max = MAX_LISTED): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) {
    out.push(item);
    if (out.length >= max) break;
  }
  return out;
}

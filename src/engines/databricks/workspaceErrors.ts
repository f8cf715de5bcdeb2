import { ApiError, ConfigError as SdkConfigError } from '@databricks/sdk-experimental';
import { ConfigError, EngineError, type LhctlError } from '../../core/errors.js';
import { credentialSources, type DatabricksAuth } from '../../profiles/databricksAuth.js';
import type { Redactor } from '../../core/redaction.js';
import { WorkspaceNotFoundError, WorkspacePermissionError, WorkspaceRequestError } from './workspaceErrorTypes.js';

export { WorkspaceNotFoundError, WorkspacePermissionError, WorkspaceRequestError };

export function missingCredentialError(auth: DatabricksAuth, cause?: unknown): ConfigError {
  return new ConfigError(`no usable Databricks credential for env "${auth.env}"`, {
    hint: `lhctl looked for, in order: ${credentialSources(auth).join('; ')}. Set one of them (e.g. \`databricks auth login --profile ${auth.configProfile ?? '<name>'}\`), then retry.`,
    cause,
  });
}

/**
 * Turn whatever the SDK threw into a typed lhctl error. `action` says what was attempted, in the
 * operator's words ("create job retail_ingestion_pipeline"). Every text is redacted.
 */
export function workspaceError(error: unknown, action: string, auth: DatabricksAuth, redactor: Redactor): LhctlError {
  return redactor.redactError(classify(error, action, auth));
}

function classify(error: unknown, action: string, auth: DatabricksAuth): LhctlError {
  const where = `on env "${auth.env}"`;
  if (error instanceof SdkConfigError) return missingCredentialError(auth, error);
  if (error instanceof ApiError) {
    const details = { status: error.statusCode, errorCode: error.errorCode, cause: error };
    const text = `${action} failed ${where}: ${error.message} (${error.errorCode || `HTTP ${error.statusCode}`})`;
    if (error.statusCode === 401) {
      return new ConfigError(`the workspace rejected the credential for env "${auth.env}" while trying to ${action}`, {
        hint: `The token or client secret is invalid or expired. lhctl looked for: ${credentialSources(auth).join('; ')}.`,
        cause: error,
      });
    }
    if (error.statusCode === 403 || error.errorCode === 'PERMISSION_DENIED') {
      return new WorkspacePermissionError(text, { ...details, hint: 'Ask a workspace admin for the privilege named above, or use a principal that has it.' });
    }
    if (error.statusCode === 404 || /(_DOES_NOT_EXIST|NOT_FOUND)$/.test(error.errorCode)) {
      return new WorkspaceNotFoundError(text, { ...details, hint: 'Check the name; `lhctl deploy` creates the jobs, `lhctl shares list` / `recipients list` show what exists.' });
    }
    return new WorkspaceRequestError(text, { ...details, hint: error.isRetryable() ? 'The workspace is busy; retry in a minute.' : undefined });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new EngineError(`could not ${action} ${where}: ${message}`, {
    hint: 'Check the workspace host in the profile (or DATABRICKS_HOST) and your network connection.',
    cause: error,
  });
}

import { EngineError } from '../../core/errors.js';

// The error classes alone, without the SDK: code that only checks or throws them stays light.

/** A workspace REST call was answered with an error. */
export class WorkspaceRequestError extends EngineError {
  readonly status: number;
  readonly errorCode: string;

  constructor(message: string, details: { status: number; errorCode: string; hint?: string; cause?: unknown }) {
    super(message, { hint: details.hint, cause: details.cause });
    this.status = details.status;
    this.errorCode = details.errorCode;
  }
}

/** The job, run, share, recipient or path does not exist in the workspace. */
export class WorkspaceNotFoundError extends WorkspaceRequestError {}

/** The credential works but lacks the privilege for this call. */
export class WorkspacePermissionError extends WorkspaceRequestError {}

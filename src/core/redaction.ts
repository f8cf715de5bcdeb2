import { LhctlError, QueryError } from './errors.js';

const MASK = '***';

/**
 * Credential shapes that must not leave the process even when nobody told us the value:
 * PATs, bearer headers, OAuth secrets and tokens in JSON/form bodies, basic-auth in URLs.
 */
const CREDENTIAL_PATTERNS: RegExp[] = [
  /\bdapi[0-9a-f]{16,}(-\d+)?\b/gi,
  /\bdose[0-9a-f]{16,}\b/gi,
  /(\bBearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  /(\bBasic\s+)[A-Za-z0-9+/=]{8,}/gi,
  /("?(?:access_token|refresh_token|client_secret|token|password|bearerToken)"?\s*[:=]\s*"?)[^"\s,&}]{4,}/gi,
  /(\/\/[^/\s:@]+:)[^@\s/]+(?=@)/g,
];

/** Scrubs known secret values and credential-shaped text out of anything lhctl prints or throws. */
export class Redactor {
  private readonly secrets: string[];

  constructor(secrets: Iterable<string> = []) {
    // Longest first so a secret that contains another is masked whole.
    this.secrets = [...new Set([...secrets].filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
  }

  /** A redactor that also knows `more` secrets (e.g. a token obtained at run time). */
  with(more: Iterable<string>): Redactor {
    return new Redactor([...this.secrets, ...more]);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join(MASK);
    for (const pattern of CREDENTIAL_PATTERNS) {
      out = out.replace(pattern, (match: string, prefix?: string) => (typeof prefix === 'string' && match.startsWith(prefix) ? prefix + MASK : MASK));
    }
    return out;
  }

  /**
   * A copy of an lhctl error with message, hint and cause chain scrubbed. Causes from drivers are
   * replaced by a plain Error carrying only the redacted message, so no raw request (with its
   * headers) rides along in `cause`.
   */
  redactError<E extends LhctlError>(error: E): E {
    const clean = Object.create(Object.getPrototypeOf(error) as object) as E;
    for (const key of Object.keys(error)) (clean as Record<string, unknown>)[key] = (error as Record<string, unknown>)[key];
    Object.defineProperty(clean, 'message', { value: this.redact(error.message), writable: true, configurable: true });
    Object.defineProperty(clean, 'stack', { value: this.redact(error.stack ?? ''), writable: true, configurable: true });
    Object.defineProperty(clean, 'hint', { value: error.hint === undefined ? undefined : this.redact(error.hint), enumerable: true });
    if (error.cause !== undefined) {
      Object.defineProperty(clean, 'cause', { value: this.redactCause(error.cause), writable: true, configurable: true });
    }
    if (clean instanceof QueryError) {
      Object.defineProperty(clean, 'suggestions', { value: clean.suggestions.map((s) => this.redact(s)), enumerable: true });
    }
    return clean;
  }

  private redactCause(cause: unknown): Error {
    const message = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    const plain = new Error(this.redact(message));
    plain.stack = plain.message;
    return plain;
  }
}

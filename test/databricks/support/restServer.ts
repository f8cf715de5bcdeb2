/**
 * Loopback HTTP plumbing for the workspace contract tests: 127.0.0.1 on a random port, bearer
 * auth, JSON bodies, a log of every call, and the documented error envelope
 * (`{"error_code": …, "message": …}`) for anything that breaks the contract.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Call {
  method: string;
  authorization?: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

export class ContractViolation extends Error {}

export interface Reply {
  status?: number;
  body: unknown;
}

export type Route = (call: Call, params: string[]) => Reply;

export interface RestServer {
  url: string;
  calls: Call[];
  /** Requests that matched no documented endpoint or broke a documented body shape. */
  violations: string[];
  close(): Promise<void>;
}

/** Route table entry: `'POST /api/2.2/jobs/create'`; `{}` in a path captures one segment. */
export type Routes = Record<string, Route>;

function match(pattern: string, method: string, path: string): string[] | undefined {
  const [patternMethod, patternPath] = pattern.split(' ') as [string, string];
  if (patternMethod !== method) return undefined;
  const want = patternPath.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: string[] = [];
  for (const [i, segment] of want.entries()) {
    if (segment === '{}') params.push(decodeURIComponent(got[i]!));
    else if (segment !== got[i]) return undefined;
  }
  return params;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** `openRoutes` answer without a bearer token (OIDC discovery, the token endpoint). */
export async function startRestServer(options: { token: string | string[]; routes: Routes; openRoutes?: Routes }): Promise<RestServer> {
  const tokens = Array.isArray(options.token) ? options.token : [options.token];
  const calls: Call[] = [];
  const violations: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        // The OAuth token endpoint takes a form body; everything else is JSON.
        body = raw && req.headers['content-type']?.includes('x-www-form-urlencoded') ? Object.fromEntries(new URLSearchParams(raw)) : raw ? JSON.parse(raw) : undefined;
      } catch {
        violations.push(`${req.method} ${url.pathname}: body is not JSON`);
        send(res, 400, { error_code: 'MALFORMED_REQUEST', message: 'body is not JSON' });
        return;
      }
      const call: Call = { method: req.method ?? 'GET', authorization: req.headers.authorization, path: url.pathname, query: Object.fromEntries(url.searchParams), body };
      calls.push(call);
      const open = Object.entries(options.openRoutes ?? {}).some(([pattern]) => match(pattern, call.method, call.path));
      if (!open && !tokens.some((t) => req.headers.authorization === `Bearer ${t}`)) {
        send(res, 401, { error_code: 'UNAUTHENTICATED', message: 'Credential was not sent or was of an unsupported type for this API.' });
        return;
      }
      for (const [pattern, route] of [...Object.entries(options.openRoutes ?? {}), ...Object.entries(options.routes)]) {
        const params = match(pattern, call.method, call.path);
        if (!params) continue;
        try {
          const reply = route(call, params);
          send(res, reply.status ?? 200, reply.body);
        } catch (error) {
          if (!(error instanceof ContractViolation)) throw error;
          violations.push(`${call.method} ${call.path}: ${error.message}`);
          send(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: error.message });
        }
        return;
      }
      violations.push(`${call.method} ${call.path}: no such documented endpoint`);
      send(res, 404, { error_code: 'ENDPOINT_NOT_FOUND', message: `No API found for '${call.method} ${call.path}'` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    violations,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Assertions on request bodies, phrased like the API reference. */
export function requireFields(body: unknown, fields: Record<string, 'string' | 'number' | 'boolean' | 'array' | 'object'>): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new ContractViolation('request body must be a JSON object');
  const record = body as Record<string, unknown>;
  for (const [field, type] of Object.entries(fields)) {
    const value = record[field];
    const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
    if (actual !== type) throw new ContractViolation(`field \`${field}\` must be ${type}, got ${actual}`);
  }
  return record;
}

export function requireOneOf(value: unknown, field: string, allowed: readonly string[]): void {
  if (typeof value !== 'string' || !allowed.includes(value)) throw new ContractViolation(`\`${field}\` must be one of ${allowed.join(', ')}, got ${String(value)}`);
}

export function notFound(what: string): Reply {
  return { status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `${what} does not exist.` } };
}

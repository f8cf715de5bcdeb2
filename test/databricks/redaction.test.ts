/**
 * Redaction: with a known fake PAT and OAuth client secret in the environment, nothing lhctl
 * prints, logs or throws contains them, even when the workspace or warehouse echoes them back.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Command, CommandContext } from '../../src/commands/command.js';
import { armCommand, disarmCommand } from '../../src/commands/arm.js';
import { deployCommandWith } from '../../src/commands/deploy.js';
import { recipientsCommand } from '../../src/commands/recipients.js';
import { runOnWorkspace, runsOnWorkspace } from '../../src/commands/remoteRun.js';
import { sharesCommand } from '../../src/commands/shares.js';
import { queryRows } from '../../src/engines/engine.js';
import { DatabricksSqlEngine } from '../../src/engines/databricks/warehouseEngine.js';
import { Redactor } from '../../src/core/redaction.js';
import { resolveDatabricksAuth } from '../../src/profiles/databricksAuth.js';
import { commandContext, dataText } from './support/contractWorkspace.js';
import { armEnv } from '../../src/ops/arming.js';
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_TOKEN, databricksProfile, loopbackSettings } from './support/fixtures.js';
import { startRestServer, type RestServer } from './support/restServer.js';
import { startThriftWarehouse, type ThriftWarehouse } from './support/thriftWarehouse.js';

const SECRETS = [FAKE_TOKEN, FAKE_CLIENT_SECRET, Buffer.from(`${FAKE_CLIENT_ID}:${FAKE_CLIENT_SECRET}`).toString('base64')];
const OAUTH_ACCESS_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.fake-access-token.c2lnbmF0dXJl';

/** Everything that could reach a terminal or a log: thrown errors in full, data, UI lines, console. */
class Transcript {
  readonly parts: string[] = [];
  add(value: unknown): void {
    if (value instanceof Error) {
      let e: unknown = value;
      for (let depth = 0; e instanceof Error && depth < 5; depth++, e = e.cause) {
        this.parts.push(
          e.message,
          e.stack ?? '',
          String((e as { hint?: string }).hint ?? ''),
          JSON.stringify(e, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)),
        );
      }
      return;
    }
    this.parts.push(typeof value === 'string' ? value : JSON.stringify(value));
  }
  leaks(): string[] {
    const text = this.parts.join('\n');
    return [...SECRETS, OAUTH_ACCESS_TOKEN].filter((s) => text.includes(s));
  }
}

/** A hostile workspace: every answer is an error that quotes the request's credentials back. */
async function echoingWorkspace(): Promise<RestServer> {
  const echo = (call: { authorization?: string; body: unknown }) => ({
    status: 400,
    body: { error_code: 'INVALID_PARAMETER_VALUE', message: `rejected request with Authorization: ${call.authorization} token=${FAKE_TOKEN} body=${JSON.stringify(call.body)}` },
  });
  const routes = Object.fromEntries(
    ['GET', 'POST', 'PATCH'].flatMap((m) =>
      [
        '/api/2.2/jobs/{}',
        '/api/2.2/jobs/runs/{}',
        '/api/2.0/workspace/{}',
        '/api/2.1/unity-catalog/{}',
        '/api/2.1/unity-catalog/{}/{}',
        '/api/2.1/unity-catalog/{}/{}/{}',
        '/api/2.0/permissions/jobs/{}',
      ].map((p) => [`${m} ${p}`, echo]),
    ),
  );
  return startRestServer({
    token: [FAKE_TOKEN, OAUTH_ACCESS_TOKEN],
    routes,
    openRoutes: {
      'GET /oidc/.well-known/oauth-authorization-server': () => ({ body: { authorization_endpoint: `${server.url}/oidc/v1/authorize`, token_endpoint: `${server.url}/oidc/v1/token` } }),
      'POST /oidc/v1/token': (call) => ({
        status: 401,
        body: { error: 'invalid_client', error_description: `client authentication failed for ${call.authorization} secret=${FAKE_CLIENT_SECRET}` },
      }),
    },
  });
}

let server: RestServer;
let warehouse: ThriftWarehouse;
let transcript: Transcript;

const EVERY_COMMAND: Array<[Command | ((ctx: CommandContext) => Promise<unknown>), string[], Record<string, string | boolean>]> = [
  [deployCommandWith(() => 'SELECT 1;'), [], { plan: true }],
  [deployCommandWith(() => 'SELECT 1;'), [], {}],
  [(ctx) => runOnWorkspace(ctx, 'ingest', { wait: true, follow: { pollIntervalMs: 1 } }), [], {}],
  [(ctx) => runsOnWorkspace(ctx, 'list', []), [], {}],
  [(ctx) => runsOnWorkspace(ctx, 'show', ['12']), [], {}],
  [(ctx) => runsOnWorkspace(ctx, 'cancel', ['12']), [], {}],
  ...['list', 'show s1', 'create s1', 'add-table s1 retail_datalake.qa_gold.fact_sales', 'remove-table s1 retail_datalake.qa_gold.fact_sales', 'grant s1 acme', 'revoke s1 acme', 'exposure acme'].map(
    (v) => [sharesCommand, v.split(' '), { history: true }] as [Command, string[], Record<string, string | boolean>],
  ),
  ...['list', 'create acme', 'show acme', 'rotate-token acme'].map((v) => [recipientsCommand, v.split(' '), {}] as [Command, string[], Record<string, string | boolean>]),
  [armCommand, [], {}],
  [disarmCommand, [], {}],
];

async function runEverything(env: Record<string, string>): Promise<void> {
  for (const [command, positionals, options] of EVERY_COMMAND) {
    const settings = loopbackSettings(server.url, env);
    // Armed, so the destructive commands too reach the workspace and their errors are checked.
    armEnv(settings.home, 'prod', 600_000);
    const { ctx, ui } = commandContext(settings, { assumeYes: true, env: 'prod' });
    try {
      const outcome = typeof command === 'function' ? await command(ctx) : await command.run(ctx, { positionals, options });
      transcript.add(await dataText((outcome as { data: Parameters<typeof dataText>[0] }).data));
    } catch (error) {
      transcript.add(error);
    }
    transcript.parts.push(...ui.progress, ...ui.warnings, ...ui.questions);
  }
}

beforeAll(async () => {
  server = await echoingWorkspace();
  warehouse = await startThriftWarehouse({
    token: FAKE_TOKEN,
    tables: { 'SELECT current_user()': { error: { message: `[INSUFFICIENT_PERMISSIONS] token ${FAKE_TOKEN} may not run this. SQLSTATE: 42501`, sqlState: '42501' } } },
  });
});

afterAll(async () => {
  await server.close();
  await warehouse.close();
});

beforeEach(() => {
  transcript = new Transcript();
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      transcript.add(String(chunk));
      return true;
    });
  }
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) vi.spyOn(console, method).mockImplementation((...args: unknown[]) => transcript.add(args.map(String).join(' ')));
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('redaction of tokens and client secrets', () => {
  it('keeps a personal access token out of every command’s output, progress and errors', async () => {
    await runEverything({});
    expect(server.calls.length).toBeGreaterThan(10);
    expect(transcript.parts.join('\n')).toContain('rejected request with Authorization: Bearer ***');
    expect(transcript.leaks()).toEqual([]);
  });

  it('keeps an OAuth M2M client secret out of errors when the token endpoint echoes it', async () => {
    await runEverything({ DATABRICKS_TOKEN: '', DATABRICKS_CLIENT_ID: FAKE_CLIENT_ID, DATABRICKS_CLIENT_SECRET: FAKE_CLIENT_SECRET });
    expect(server.calls.some((c) => c.path === '/oidc/v1/token')).toBe(true);
    expect(transcript.leaks()).toEqual([]);
  });

  it('keeps the token out of warehouse errors and the driver’s debug log', async () => {
    const auth = resolveDatabricksAuth(loopbackSettings(warehouse.url), databricksProfile('qa', { httpPath: warehouse.httpPath }));
    const debug: string[] = [];
    const engine = new DatabricksSqlEngine(auth, { customCaCert: warehouse.caCert, debug: (line) => debug.push(line) });
    try {
      transcript.add(await queryRows(engine, 'SELECT current_user()').catch((e: unknown) => e));
    } finally {
      await engine.close();
    }
    expect(debug.length).toBeGreaterThan(0);
    transcript.parts.push(...debug);
    expect(transcript.parts.join('\n')).toContain('INSUFFICIENT_PERMISSIONS');
    expect(transcript.leaks()).toEqual([]);
  });

  it('masks credential-shaped text it was never told about', () => {
    const redactor = new Redactor([]);
    expect(redactor.redact('Authorization: Bearer abc.def.ghi123')).toBe('Authorization: Bearer ***');
    expect(redactor.redact(`token ${FAKE_TOKEN} expired`)).toBe('token *** expired');
    expect(redactor.redact('{"client_secret":"s3cr3t-value"}')).toBe('{"client_secret":"***"}');
    expect(redactor.redact('https://user:pa55word@host/path')).toBe('https://user:***@host/path');
  });
});

/**
 * The write gate on a protected env, through the real `lhctl` process on the local engine: every
 * write and destructive statement of the corpus is refused even with --yes while the env is not
 * armed, nothing reaches the tables, and the reads still run.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SafetyError } from '../../src/core/errors.js';
import { queryRecords, type SqlEngine } from '../../src/engines/engine.js';
import { shellQuote } from '../../src/session/commandLine.js';
import { ConsoleSession } from '../../src/session/session.js';
import { runCli } from '../support/cli.js';
import { sharedEngine, testSettings } from '../support/engine.js';
import { profilesDirWith } from '../support/profiles.js';
import { SAFETY_SCHEMA, SENTINEL, STATEMENT_CORPUS } from './statementCorpus.js';

const ENV = 'prodlike';
const GATED = STATEMENT_CORPUS.filter((s) => s.kind !== 'read');
const READS = STATEMENT_CORPUS.filter((s) => s.kind === 'read');
/** The CLI is spawned once per statement: more than the default two minutes on a busy machine. */
const MANY_SPAWNS_MS = 300_000;

let engine: SqlEngine;
let profilesDir: string;
let before: string;

/** The sentinel's rows, its versions and what the schema holds: what any statement that ran would change. */
async function lakehouseState(): Promise<string> {
  const rows = await queryRecords(engine, `SELECT id, note FROM ${SENTINEL} ORDER BY id`);
  const [latest] = await queryRecords(engine, `DESCRIBE HISTORY ${SENTINEL} LIMIT 1`);
  const columns = await queryRecords(engine, `DESCRIBE TABLE ${SENTINEL}`);
  const tables = await queryRecords(engine, `SHOW TABLES IN ${SAFETY_SCHEMA}`);
  return JSON.stringify({ rows, version: String(latest?.['version']), columns: columns.map((c) => c['col_name']), tables: tables.map((t) => t['tableName']).sort() });
}

function lhctl(args: string[], input?: string): ReturnType<typeof runCli> {
  return runCli(args, { env: { LHCTL_PROFILES_DIR: profilesDir, LHCTL_ENV: '' }, ...(input !== undefined ? { input } : {}) });
}

beforeAll(async () => {
  engine = await sharedEngine();
  await queryRecords(engine, `DROP SCHEMA IF EXISTS ${SAFETY_SCHEMA} CASCADE`);
  await queryRecords(engine, `CREATE SCHEMA ${SAFETY_SCHEMA}`);
  await queryRecords(engine, `CREATE TABLE ${SENTINEL} (id INT, note STRING) USING delta`);
  await queryRecords(engine, `INSERT INTO ${SENTINEL} VALUES (1, 'one'), (2, 'two'), (3, 'three')`);
  profilesDir = profilesDirWith(ENV, { bronze: 'safety_bronze', silver: 'safety_silver', gold: 'safety_gold' }, { protected: true });
  // An arming window left by an earlier run would open the gate.
  expect((await lhctl(['disarm', '--env', ENV])).code).toBe(0);
  before = await lakehouseState();
});

afterAll(async () => {
  await engine?.close();
});

describe('a protected, unarmed env refuses every write of the corpus (real lhctl, local engine)', () => {
  it(
    `refuses each of the ${GATED.length} write and destructive statements with --yes, and none runs`,
    async () => {
      for (const { sql, kind } of GATED) {
        const result = await lhctl(['sql', '--env', ENV, '--yes', '--', sql]);
        expect({ sql, code: result.code, stdout: result.stdout }).toEqual({ sql, code: 2, stdout: '' });
        expect(result.stderr, sql).toMatch(new RegExp(`^error: env "${ENV}" is protected and not armed: refused to run \\d+ ${kind} statements?: `));
        expect(result.stderr, sql).toContain(`lhctl arm --env ${ENV} --for`);
      }
      expect(await lakehouseState()).toBe(before);
    },
    MANY_SPAWNS_MS,
  );

  it(
    'still runs the reads, unarmed and without --yes, and they change nothing',
    async () => {
      for (const { sql, local } of READS) {
        const result = await lhctl(['sql', '--env', ENV, '--', sql]);
        expect(result.stderr, sql).not.toContain('refused');
        // Databricks-only syntax reaches the engine, which rejects it: not the gate.
        expect({ sql, code: result.code }).toEqual({ sql, code: local === false ? 1 : 0 });
      }
      expect(await lakehouseState()).toBe(before);
    },
    MANY_SPAWNS_MS,
  );

  it('refuses a CTE-prefixed INSERT OVERWRITE typed into `lhctl repl`, and goes on with the next line', async () => {
    const result = await lhctl(['repl', '--env', ENV], `with c as (select 9 as id, 'x' as note) insert overwrite ${SENTINEL} select * from c;\nselect count(*) as row_count from ${SENTINEL};\n`);
    expect(result.stderr).toContain(`error: env "${ENV}" is protected and not armed: refused to run 1 destructive statement: INSERT OVERWRITE after a WITH clause`);
    expect(result.stdout).toMatch(/│ row_count │\n│ 3\s+│/);
    expect(result.code).toBe(2);
    expect(await lakehouseState()).toBe(before);
  });

  it('refuses it in the console session too (the SQL pane runs text through the same session call), before opening an engine', async () => {
    const session = new ConsoleSession({
      settings: testSettings({ LHCTL_HOME: mkdtempSync(join(tmpdir(), 'lhctl-gate-')), LHCTL_PROFILES_DIR: profilesDir }),
      env: ENV,
      source: 'console',
      openEngine: () => Promise.reject(new Error('a refused statement must not open the engine')),
    });
    try {
      const ui = { progress: () => undefined, warn: () => undefined, confirm: () => Promise.resolve(true) };
      const refusal = await session
        .runSql(`WITH s AS (SELECT 1 AS id) MERGE INTO ${SENTINEL} t USING s ON t.id = s.id WHEN MATCHED THEN DELETE`, { ui, signal: new AbortController().signal }, async () => undefined)
        .catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(SafetyError);
      expect((refusal as SafetyError).message).toContain('refused to run 1 destructive statement: MERGE with a WHEN … THEN DELETE clause after a WITH clause');
      expect(session.transcript.at(-1)).toMatchObject({ outcome: 'refused', sql: [] });
    } finally {
      await session.close();
    }
  });

  it('the CLI, the REPL and the console take the one action path: the same refusal, audited alike but for its source', async () => {
    const home = mkdtempSync(join(tmpdir(), 'lhctl-one-path-'));
    const statement = `with c as (select 9 as id, 'x' as note) insert overwrite ${SENTINEL} select * from c;`;
    const env = { LHCTL_PROFILES_DIR: profilesDir, LHCTL_ENV: '', LHCTL_HOME: home };
    const cli = await runCli(['sql', statement, '--env', ENV, '--yes'], { env });
    const repl = await runCli(['repl', '--env', ENV], { env, input: `${statement}\n` });
    const session = new ConsoleSession({
      settings: testSettings({ LHCTL_HOME: home, LHCTL_PROFILES_DIR: profilesDir }),
      env: ENV,
      source: 'console',
      openEngine: () => Promise.reject(new Error('a refused statement must not open the engine')),
    });
    const ui = { progress: () => undefined, warn: () => undefined, confirm: () => Promise.resolve(true) };
    const consoleRefusal = await session.runSql(statement, { ui, signal: new AbortController().signal }, async () => undefined).catch((e: unknown) => e);
    await session.close();
    const refusal = `env "${ENV}" is protected and not armed: refused to run 1 destructive statement: INSERT OVERWRITE after a WITH clause`;
    expect([cli.code, repl.code]).toEqual([2, 2]);
    expect(cli.stderr).toContain(refusal);
    expect(repl.stderr).toContain(refusal);
    expect((consoleRefusal as SafetyError).message).toContain(refusal);
    const audit = readFileSync(join(home, 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(audit.map((a) => a['source'])).toEqual(['cli', 'repl', 'console']);
    const { source: _cli, time: _t1, duration_ms: _d1, ...first } = audit[0]!;
    for (const entry of audit.slice(1)) {
      const { source: _s, time: _t, duration_ms: _d, ...rest } = entry;
      // --yes is the CLI's own word here; the rest of the record is the runner's, whoever called it.
      expect({ ...rest, command: String(rest['command']) }).toEqual({ ...first, command: String(first['command']).replace(' --yes', '') });
    }
    expect(first).toMatchObject({ env: ENV, sql: [], outcome: 'refused', command: `lhctl sql ${shellQuote(statement)} --env ${ENV} --yes` });
    expect(await lakehouseState()).toBe(before);
  });
});

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import { echoEngine } from '../../test/support/echoEngine.js';
import { testSettings } from '../../test/support/engine.js';
import { collectRows } from './catalog.js';
import { equivalentCommand, shellQuote, tokenize } from './commandLine.js';
import { commonPrefix, completeCommand, completeSql } from './completion.js';
import { InputHistory } from './history.js';
import { ConsoleSession } from './session.js';

const quietIo = () => ({ ui: { progress: () => undefined, warn: () => undefined, confirm: async () => false }, signal: new AbortController().signal });

describe('command lines', () => {
  it('split like a shell and quote back for the equivalent command', () => {
    expect(tokenize(`tt fact_sales --where "store_id = 4" --ago 1h`)).toEqual(['tt', 'fact_sales', '--where', 'store_id = 4', '--ago', '1h']);
    expect(() => tokenize('sql "select 1')).toThrow(UsageError);
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(equivalentCommand('sql', ['select * from t'], 'qa')).toBe("lhctl sql 'select * from t' --env qa");
    expect(equivalentCommand('history', ['t', '--env', 'prod'], 'qa')).toBe('lhctl history t --env prod');
  });
});

describe('completion', () => {
  const catalog = { tables: ['local_gold.dim_customer', 'local_gold.fact_sales'], columns: new Map([['local_gold.dim_customer', ['customer_id', 'customer_name']]]) };
  it('completes keywords in the case typed, tables and the columns of tables in the statement', () => {
    expect(completeSql('sel', 3, catalog).candidates).toContain('select');
    expect(completeSql('select * from local_gold.di', 27, catalog).candidates).toEqual(['local_gold.dim_customer']);
    const text = 'select cust from local_gold.dim_customer';
    expect(completeSql(text, 11, catalog).candidates).toEqual(['customer_id', 'customer_name']);
    expect(commonPrefix(['customer_id', 'customer_name'])).toBe('customer_');
  });
  it('completes command names, then layer-qualified table names', () => {
    expect(completeCommand('hist', 4, ['history', 'help', 'sql'], catalog).candidates).toEqual(['history']);
    expect(completeCommand('history gold.d', 14, ['history'], catalog).candidates).toEqual(['gold.dim_customer']);
  });
});

describe('history', () => {
  it('is kept per env and survives a new session, multi-line statements intact', () => {
    const home = mkdtempSync(join(tmpdir(), 'lhctl-hist-'));
    new InputHistory(home, 'qa').add('select 1\nfrom t;');
    new InputHistory(home, 'local').add(':history gold.dim_customer');
    expect(new InputHistory(home, 'qa').all).toEqual(['select 1\nfrom t;']);
    expect(new InputHistory(home, 'local').all).toEqual([':history gold.dim_customer']);
  });
});

describe('session', () => {
  it('runs SQL through the sql command, records its statements and appends the audit log', async () => {
    const home = mkdtempSync(join(tmpdir(), 'lhctl-session-'));
    const engine = echoEngine();
    const session = new ConsoleSession({ settings: testSettings({ LHCTL_HOME: home }), source: 'console', openEngine: async () => engine });
    const { result, record } = await session.runSql('select 1; select 2', quietIo(), collectRows);
    expect(result.rows).toEqual([['select 1'], ['select 2']]);
    expect(record).toMatchObject({ command: "lhctl sql 'select 1; select 2' --env local", sql: ['select 1', 'select 2'], outcome: 'ok' });
    const audit = JSON.parse(readFileSync(join(home, 'audit.jsonl'), 'utf8').trim()) as Record<string, unknown>;
    expect(audit).toMatchObject({ env: 'local', source: 'console', command: record.command, sql: ['select 1', 'select 2'], outcome: 'ok' });
    expect(typeof audit['user']).toBe('string');
    expect(typeof audit['duration_ms']).toBe('number');
    await session.close();
  });

  it('masks credentials in what it audits', async () => {
    const home = mkdtempSync(join(tmpdir(), 'lhctl-session-'));
    const session = new ConsoleSession({ settings: testSettings({ LHCTL_HOME: home }), source: 'repl', openEngine: async () => echoEngine() });
    await session.runSql("select 'Bearer abcdefghijklmnop' as header, 'dapi0123456789abcdef0123' as pat", quietIo(), collectRows);
    const text = readFileSync(join(home, 'audit.jsonl'), 'utf8');
    expect(text).not.toContain('abcdefghijklmnop');
    expect(text).not.toContain('dapi0123456789abcdef0123');
    await session.close();
  });

  it('switches env with the env built-in and suggests the closest command for a typo', async () => {
    const session = new ConsoleSession({ settings: testSettings({ LHCTL_HOME: mkdtempSync(join(tmpdir(), 'lhctl-session-')) }), source: 'repl', openEngine: async () => echoEngine() });
    await session.runLine('env qa', quietIo(), collectRows);
    expect(session.state.env).toBe('qa');
    await expect(session.runLine('histroy x', quietIo(), collectRows)).rejects.toThrow(/unknown command "histroy"/);
    await session.close();
  });
});

/** `:as <group>` in the console and the REPL: SQL lines then run as `lhctl sql --as <group>` would, through the preview's views. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../../src/session/catalog.js';
import { ConsoleSession } from '../../src/session/session.js';
import { echoEngine } from '../support/echoEngine.js';
import { testSettings } from '../support/engine.js';

const quietIo = () => ({ ui: { progress: () => undefined, warn: () => undefined, confirm: async () => false }, signal: new AbortController().signal });

describe(':as in the console session', () => {
  it('reads SQL lines as the group until :as off, shown as the equivalent lhctl sql --as', async () => {
    const engine = echoEngine();
    const session = new ConsoleSession({ settings: testSettings({ LHCTL_HOME: mkdtempSync(join(tmpdir(), 'lhctl-as-')) }), env: 'local', source: 'repl', openEngine: async () => engine });
    const turnedOn = await session.runLine('as analysts', quietIo(), collectRows);
    expect(turnedOn.exitCode).toBe(0);
    expect(session.readingAs).toBe('analysts');

    const { record } = await session.runSql('SELECT email FROM gold.dim_customer', quietIo(), collectRows);
    expect(record.command).toBe("lhctl sql --as analysts 'SELECT email FROM gold.dim_customer' --env local");
    expect(engine.seen).toContain('CREATE SCHEMA IF NOT EXISTS `spark_catalog`.`local_gold__analysts`');
    expect(engine.seen.at(-1)).toBe('SELECT email FROM `local_gold__analysts`.dim_customer');

    await session.runLine('as off', quietIo(), collectRows);
    await session.runSql('SELECT 1', quietIo(), collectRows);
    expect(engine.seen.at(-1)).toBe('SELECT 1');

    await expect(session.runLine('as analyst', quietIo(), collectRows)).rejects.toThrow('no group "analyst"');
    expect(session.readingAs).toBeUndefined();
  });
});

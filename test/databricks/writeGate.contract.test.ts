/**
 * Contract test against a loopback fake warehouse (not a real Databricks workspace): the real `lhctl`
 * process on a protected, unarmed Databricks env refuses every write and destructive statement of the
 * corpus, and the fake, which records each statement it receives, never sees one of them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { thrift } from '@databricks/sql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATEMENT_CORPUS } from '../safety/statementCorpus.js';
import { runCli } from '../support/cli.js';
import { cliHomeWithDatabricksProfile, FAKE_TOKEN } from './support/fixtures.js';
import { startThriftWarehouse, type ThriftWarehouse } from './support/thriftWarehouse.js';

const ENV = 'dbprod';
const READ = 'SELECT 1 AS one';

let warehouse: ThriftWarehouse;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  warehouse = await startThriftWarehouse({
    token: FAKE_TOKEN,
    tables: { [READ]: { columns: [{ name: 'one', type: thrift.TCLIService_types.TTypeId.INT_TYPE }], rows: [[1]] } },
  });
  const cli = cliHomeWithDatabricksProfile(ENV, { schemaPrefix: 'prod', host: warehouse.url, httpPath: warehouse.httpPath, protected: true });
  writeFileSync(join(cli.home, 'ca.pem'), warehouse.caCert);
  // The fake's self-signed certificate, trusted by this process only.
  env = { ...cli.env, NODE_EXTRA_CA_CERTS: join(cli.home, 'ca.pem') };
});

afterAll(async () => {
  await warehouse?.close();
});

describe('write gate on a protected Databricks env (contract test against a loopback fake warehouse)', () => {
  it('refuses every write and destructive statement of the corpus before it reaches the warehouse; a read does reach it', async () => {
    for (const { sql, kind } of STATEMENT_CORPUS.filter((s) => s.kind !== 'read')) {
      const result = await runCli(['sql', '--env', ENV, '--yes', '--', sql], { env });
      expect({ sql, code: result.code }).toEqual({ sql, code: 2 });
      expect(result.stderr, sql).toContain(`error: env "${ENV}" is protected and not armed: refused to run`);
      expect(result.stderr, sql).toContain(` ${kind} statement`);
    }
    expect(warehouse.state.statements).toEqual([]);

    const read = await runCli(['sql', '--env', ENV, READ, '-o', 'json'], { env });
    expect(read.stderr).toBe('');
    expect(JSON.parse(read.stdout)).toEqual([{ one: 1 }]);
    expect(warehouse.state.statements.map((s) => s.sql)).toEqual([READ]);
  }, 300_000);
});

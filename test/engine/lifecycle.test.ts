import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/core/errors.js';
import { executeStatement, queryRows } from '../../src/engines/engine.js';
import { openLocalEngine } from '../../src/engines/local/index.js';
import { localLayout } from '../../src/engines/local/layout.js';
import { LocalSqlEngine } from '../../src/engines/local/localEngine.js';
import { serverStatus, startServer, stopServer } from '../../src/engines/local/server.js';
import { runCli } from '../support/cli.js';
import { TEST_HOME } from '../support/paths.js';

/** Local addresses of the TCP sockets a process listens on, from /proc (IPv4 and IPv6). */
function listeningAddresses(pid: number): string[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
      const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
      if (inode) inodes.add(inode);
    } catch {
      // fd closed while reading
    }
  }
  const addresses: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A' || !inodes.has(cols[9]!)) continue; // 0A = LISTEN
      addresses.push(cols[1]!.split(':')[0]!);
    }
  }
  return addresses;
}

const IPV4_LOOPBACK = '0100007F';
const IPV6_MAPPED_LOOPBACK = '0000000000000000FFFF00000100007F';
const IPV6_LOOPBACK = '00000000000000000000000001000000';

describe('local engine lifecycle and security', () => {
  const scratchHomes: string[] = [];
  afterAll(async () => {
    for (const home of scratchHomes) {
      await stopServer(home);
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('listens on loopback addresses only', async () => {
    const status = await serverStatus(TEST_HOME);
    expect(status.running).toBe(true);
    const addresses = listeningAddresses(status.state!.pid);
    expect(addresses.length).toBeGreaterThan(0);
    for (const address of addresses) expect([IPV4_LOOPBACK, IPV6_MAPPED_LOOPBACK, IPV6_LOOPBACK]).toContain(address);
  });

  it('refuses a call without the token or with a wrong one', async () => {
    const status = await serverStatus(TEST_HOME);
    const protoDir = localLayout(TEST_HOME).protoDir;
    for (const token of [undefined, 'not-the-token']) {
      const engine = new LocalSqlEngine({ port: status.state!.port, token, protoDir });
      const error = await engine.execute('SELECT 1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).message).toMatch(/refused/);
      await engine.close();
    }
  });

  it('keeps tables across a restart, and recovers from a killed server', async () => {
    const home = mkdtempSync(join(tmpdir(), 'lhctl-restart-'));
    scratchHomes.push(home);
    symlinkSync(localLayout(TEST_HOME).runtimeDir, localLayout(home).runtimeDir);
    const host = { home, javaHome: process.env['JAVA_HOME'], env: process.env };
    // Small reattach limits make the server cut long result streams, as it does after 2 min / 1 GB.
    const cutStreams = { 'spark.connect.execute.reattachable.senderMaxStreamSize': '1m', 'spark.connect.execute.reattachable.senderMaxStreamDuration': '2s' };

    let engine = await openLocalEngine(host);
    await executeStatement(engine, 'CREATE SCHEMA IF NOT EXISTS keep');
    await executeStatement(engine, 'CREATE TABLE keep.kept (id INT) USING DELTA');
    await executeStatement(engine, 'INSERT INTO keep.kept VALUES (1), (2)');
    await engine.close();
    expect(await stopServer(home)).toBe(true);
    expect((await serverStatus(home)).running).toBe(false);

    engine = await openLocalEngine(host);
    expect((await queryRows(engine, 'SELECT id FROM keep.kept ORDER BY id')).rows).toEqual([[1], [2]]);
    await engine.close();

    // A server killed hard leaves a stale state file; the next start notices and replaces it.
    const killed = (await serverStatus(home)).state!;
    process.kill(killed.pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 500));
    expect((await serverStatus(home)).stale).toBe(true);
    const restarted = await startServer(host, { extraSettings: cutStreams });
    expect(restarted.pid).not.toBe(killed.pid);
    engine = await openLocalEngine(host, { autoStart: false });
    expect((await queryRows(engine, 'SELECT count(*) FROM keep.kept')).rows).toEqual([[2n]]);

    // A result larger than the stream limit arrives whole through ReattachExecute.
    const local = engine as LocalSqlEngine;
    const big = await queryRows(engine, "SELECT id, repeat('x', 100) AS pad FROM range(0, 200000)");
    expect(big.rows.length).toBe(200000);
    expect(big.rows.reduce((sum, r) => sum + (r[0] as bigint), 0n)).toBe((199999n * 200000n) / 2n);
    expect(local.reattachCount).toBeGreaterThan(0);
    await engine.close();
  }, 300_000);

  it('Ctrl-C during a long query cancels it, exits 130, and the engine stays healthy', async () => {
    let pid = 0;
    const pending = runCli(['sql', 'SELECT sum(hash(id)) FROM range(0, 500000000000)'], { onSpawn: (p) => (pid = p) });
    await new Promise((r) => setTimeout(r, 5000));
    const sent = Date.now();
    process.kill(pid, 'SIGINT');
    const result = await pending;
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/cancel/);
    expect(Date.now() - sent).toBeLessThan(15_000);
    const after = await runCli(['sql', 'SELECT 6 * 7 AS answer', '--output', 'csv']);
    expect(after.code).toBe(0);
    expect(after.stdout).toBe('answer\r\n42\r\n');
  }, 120_000);

  it('names the file and the field of a bad profile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lhctl-profiles-'));
    writeFileSync(join(dir, 'local.yaml'), 'name: local\nengine: local\ncatalog: spark_catalog\nschemas:\n  bronze: b\n  silver: s\n  gold: "not an identifier"\n');
    const result = await runCli(['sql', 'select 1'], { env: { LHCTL_PROFILES_DIR: dir } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${join(dir, 'local.yaml')}: field \`schemas.gold\``);
    rmSync(dir, { recursive: true, force: true });
  });
});

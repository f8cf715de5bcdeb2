import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError, EngineNotRunningError } from '../../src/core/errors.js';
import { isProcessAlive } from '../../src/services/daemon.js';
import { ensureTopic, kafkaBootstrap, type KafkaRecord, produceLines } from '../../src/services/kafka.js';
import { kafkaLayout } from '../../src/services/kafka/layout.js';
import { type CliResult, runCli } from '../support/cli.js';
import { REPO_ROOT } from '../support/paths.js';

/**
 * The local Kafka broker as an operator runs it (`lhctl services …` in a real process, its own
 * $LHCTL_HOME), fed by lhctl's producer. The first start installs the Kafka jars from Maven Central.
 */
const HOME = join(REPO_ROOT, 'test', '.work', 'kafka-home');
const host = { home: HOME, javaHome: process.env['JAVA_HOME'], env: process.env };
const layout = kafkaLayout(HOME);
const TOPIC = 'pos.sales_transactions';
const COUNT = 120_000;

interface StatusRow {
  name: string;
  state: string;
  address: string | null;
  pid: number | null;
}

interface TopicRow {
  topic: string;
  partition: number;
  earliest: number;
  latest: number;
}

function lhctl(...args: string[]): Promise<CliResult> {
  return runCli(args, { env: { LHCTL_HOME: HOME } });
}

async function json<T>(...args: string[]): Promise<T> {
  const result = await lhctl(...args, '--output', 'json');
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
}

async function kafkaRow(): Promise<StatusRow> {
  const rows = await json<StatusRow[]>('services', 'status');
  expect(rows.map((r) => r.name)).toContain('engine');
  return rows.find((r) => r.name === 'kafka')!;
}

async function latestOffsets(topic: string): Promise<number> {
  const rows = await json<TopicRow[]>('services', 'topics');
  return rows.filter((r) => r.topic === topic).reduce((sum, r) => sum + Number(r.latest), 0);
}

async function until(what: string, probe: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function refused(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(true);
    });
  });
}

/** The POS events as `data generate` will send them: JSON lines, every 1,000th deliberately broken. */
function* salesEvents(count: number): Generator<KafkaRecord> {
  for (let i = 0; i < count; i++) {
    const value =
      i % 1000 === 7
        ? `{"transaction_id": ${i}, "amount": 12.5\t<<truncated é 😀 \\ "`
        : JSON.stringify({ transaction_id: `T${i}`, store_id: `S${i % 40}`, amount: (i % 997) / 10, sold_at: '2026-12-03T10:00:00Z' });
    yield { key: i % 5 === 0 ? null : `S${i % 40}`, value, headers: i % 2 === 0 ? { source: 'pos' } : {} };
  }
}

/** Every record of the topic as Kafka's own consumer prints it: headers, key and value. */
function consumeAll(topic: string, count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'java',
      [
        '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
        '-cp',
        `${layout.jarsDir}/*`,
        'org.apache.kafka.tools.consumer.ConsoleConsumer',
        '--bootstrap-server',
        address,
        '--topic',
        topic,
        '--from-beginning',
        '--max-messages',
        String(count),
        '--timeout-ms',
        '60000',
        '--formatter-property',
        'print.headers=true',
        '--formatter-property',
        'print.key=true',
        '--formatter-property',
        'key.separator=\u001f',
        '--formatter-property',
        'line.separator=\u001e',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const chunks: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.on('error', reject);
    child.on('close', () => resolve(Buffer.concat(chunks).toString('utf8').split('\u001e').slice(0, -1)));
  });
}

let address = '';

describe('the local Kafka broker run by lhctl', () => {
  beforeAll(async () => {
    // A fresh broker each run: its own data folder, the installed jars kept.
    await lhctl('services', 'stop', 'kafka');
    rmSync(layout.dataDir, { recursive: true, force: true });
  });

  afterAll(async () => {
    await lhctl('services', 'stop', 'kafka');
  });

  it('starts (installing Kafka from Maven Central the first time) on 127.0.0.1, answering metadata', async () => {
    const started = await lhctl('services', 'start', 'kafka');
    expect(started.code, started.stderr).toBe(0);
    const row = await kafkaRow();
    expect(row.state).toBe('running');
    expect(row.address).toMatch(/^127\.0\.0\.1:\d+$/);
    address = row.address!;
    expect(await kafkaBootstrap(host)).toBe(address);
    // A second start reuses the running broker.
    const again = await lhctl('services', 'start', 'kafka');
    expect(again.code, again.stderr).toBe(0);
    expect((await kafkaRow()).pid).toBe(row.pid);
  }, 600_000);

  it('listens on the loopback interface only', async () => {
    const { port, controllerPort } = JSON.parse(readFileSync(layout.stateFile, 'utf8')) as { port: number; controllerPort: number };
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i && !i.internal && i.family === 'IPv4')
      .map((i) => i!.address);
    for (const ip of external) {
      expect(await refused(ip, port)).toBe(true);
      expect(await refused(ip, controllerPort)).toBe(true);
    }
    const listening = ['/proc/net/tcp', '/proc/net/tcp6']
      .filter(existsSync)
      .flatMap((file) => readFileSync(file, 'utf8').trim().split('\n').slice(1))
      .map((line) => line.trim().split(/\s+/))
      .filter((f) => f[3] === '0A' && [port, controllerPort].includes(Number.parseInt(f[1]!.split(':')[1]!, 16)))
      .map((f) => f[1]!.split(':')[0]);
    expect(listening.length).toBeGreaterThanOrEqual(2);
    // 127.0.0.1 as IPv4, or IPv4-mapped in the IPv6 table.
    for (const local of listening) expect(['0100007F', '0000000000000000FFFF00000100007F']).toContain(local);
  });

  it('produces 120k POS events with headers byte for byte, and `services topics` shows the offsets', async () => {
    const created = await ensureTopic(host, TOPIC, 3);
    expect(created).toMatchObject({ created: true, topic: { partitions: [{ partition: 0 }, { partition: 1 }, { partition: 2 }] } });
    expect((await ensureTopic(host, TOPIC, 3)).created).toBe(false);
    const result = await produceLines(host, TOPIC, salesEvents(COUNT), { headers: { batch: '42' } });
    expect(result.records).toBe(COUNT);
    process.stderr.write(`[kafka] produced ${result.records} records in ${result.elapsedMs} ms: ${result.recordsPerSecond} records/s\n`);
    expect(await latestOffsets(TOPIC)).toBe(COUNT);

    const expected = [...salesEvents(COUNT)].map((r) => `${r.headers?.['source'] ? 'batch:42,source:pos' : 'batch:42'}\u001f${r.key ?? 'null'}\u001f${r.value}`);
    const received = await consumeAll(TOPIC, COUNT);
    expect(received.length).toBe(COUNT);
    expect(received.sort()).toEqual(expected.sort());
  }, 300_000);

  it('refuses a topic that does not exist, naming the ones that do', async () => {
    const error = await produceLines(host, 'pos.typo', [{ key: null, value: '{}' }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).message).toContain('"pos.typo" does not exist');
    expect((error as EngineError).hint).toContain(TOPIC);
  });

  it('stops, and starts again on the same address with its data kept', async () => {
    const { pid } = await kafkaRow();
    const stopped = await lhctl('services', 'stop', 'kafka');
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stdout).toContain('kafka stopped');
    expect(isProcessAlive(pid!)).toBe(false);
    expect((await kafkaRow()).state).toBe('stopped');

    const topics = await lhctl('services', 'topics');
    expect(topics.code).toBe(1);
    expect(topics.stderr).toContain('not running');
    expect(topics.stderr).toContain('lhctl services start kafka');
    expect(topics.stderr).not.toMatch(/\n\s+at /);
    await expect(kafkaBootstrap(host)).rejects.toBeInstanceOf(EngineNotRunningError);

    expect((await lhctl('services', 'start', 'kafka')).code).toBe(0);
    expect((await kafkaRow()).address).toBe(address);
    expect(await latestOffsets(TOPIC)).toBe(COUNT);
  }, 180_000);

  it('detects a broker killed with SIGKILL as stale and recovers on the next start, offsets intact', async () => {
    const { pid } = await kafkaRow();
    process.kill(pid!, 'SIGKILL');
    await until('the broker to die', () => !isProcessAlive(pid!));
    expect((await kafkaRow()).state).toMatch(/stale/);
    const started = await lhctl('services', 'start', 'kafka');
    expect(started.code, started.stderr).toBe(0);
    const row = await kafkaRow();
    expect(row.state).toBe('running');
    expect(row.pid).not.toBe(pid);
    expect(await latestOffsets(TOPIC)).toBe(COUNT);
  }, 180_000);

  it('moves to a free port when its old one was taken while it was stopped', async () => {
    await lhctl('services', 'stop', 'kafka');
    const port = Number(address.split(':')[1]);
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      expect((await lhctl('services', 'start', 'kafka')).code).toBe(0);
      const moved = (await kafkaRow()).address!;
      expect(moved).not.toBe(address);
      expect(await latestOffsets(TOPIC)).toBe(COUNT);
    } finally {
      squatter.close();
    }
  }, 180_000);

  it('answers `lhctl services start` of an unknown service with the known ones', async () => {
    const result = await lhctl('services', 'start', 'zookeeper');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown service "zookeeper"');
    expect(result.stderr).toContain('kafka');
  });
});

// Issue "Foundation" benchmarks, measured side by side in one run:
//  1. `lhctl --help` cold start (goal <= 150 ms)
//  2. warm `lhctl sql "select 1"` end to end vs the bare client call in-process (goal <= 250 ms total)
//  3. 1M rows to CSV: lhctl vs pyspark's Spark Connect client toArrow() on the same server
//     (goal >= 0.8x its throughput, peak RSS <= 300 MB)
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { queryRows } from '../src/engines/engine.js';
import { openLocalEngine } from '../src/engines/local/index.js';
import { render } from '../src/output/render.js';
import { CLI, HOME, REPO, median, row, serverPort, timed, token } from './support.js';

const MILLION = 'SELECT id, id * 2 AS twice, CAST(id AS STRING) AS label, CAST(id / 3 AS DECIMAL(18,4)) AS third, DATE_ADD(DATE\'2024-01-01\', CAST(id % 365 AS INT)) AS day FROM range(0, 1000000)';

const lines: string[] = [];
const node = process.execPath;

// 1. cold start
const bare = median(Array.from({ length: 7 }, () => timed([node, '-e', '0']).seconds * 1000));
const help = median(Array.from({ length: 7 }, () => timed([node, CLI, '--help']).seconds * 1000));
lines.push(row('lhctl --help cold start (median of 7)', `${help.toFixed(0)} ms`, '<= 150 ms', help <= 150));
lines.push(row('  node -e 0, for reference', `${bare.toFixed(0)} ms`, '', true));

// 2. warm select 1
const engine = await openLocalEngine({ home: HOME, javaHome: process.env['JAVA_HOME'], env: process.env }, { autoStart: false });
await queryRows(engine, 'SELECT 1');
const inProcess = median(
  await (async () => {
    const samples: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t = performance.now();
      await queryRows(engine, 'SELECT 1');
      samples.push(performance.now() - t);
    }
    return samples;
  })(),
);
timed([node, CLI, 'sql', 'select 1', '-o', 'csv']);
const cliSelect = median(Array.from({ length: 7 }, () => timed([node, CLI, 'sql', 'select 1', '-o', 'csv']).seconds * 1000));
lines.push(row('warm `lhctl sql "select 1"` end to end (median of 7)', `${cliSelect.toFixed(0)} ms`, '<= 250 ms', cliSelect <= 250));
lines.push(row('  bare client call in-process (median of 7)', `${inProcess.toFixed(0)} ms`, '', true));
lines.push(row('  ratio CLI / in-process', `${(cliSelect / inProcess).toFixed(1)}x`, '', true));

// 3. 1M rows to CSV
const devNull = new Writable({ write: (_c, _e, cb) => cb() });
const t0 = performance.now();
await render(devNull, { kind: 'table', columns: [], rows: [] }, { format: 'csv', color: false });
const stream = await engine.execute(MILLION);
await render(devNull, { kind: 'table', columns: stream.columns, rows: stream }, { format: 'csv', color: false });
const lhctlInProcess = (performance.now() - t0) / 1000;
await engine.close();
const cli = timed([node, CLI, 'sql', MILLION, '-o', 'csv']);
const csvLines = cli.stdout.split('\r\n').length - 2;
if (csvLines !== 1_000_000) throw new Error(`expected 1,000,000 CSV rows, got ${csvLines}`);

const python = join(REPO, 'bench', '.venv', 'bin', 'python');
let pyLine = 'pyspark client not installed (bench/setup-python.sh)';
let ratio = Number.NaN;
if (existsSync(python)) {
  const out = timed([python, join(REPO, 'bench', 'pyspark_to_arrow.py'), String(serverPort()), token(), MILLION]).stdout.trim().split('\n').pop()!;
  const [rows, seconds, rssMb] = out.split(' ').map(Number) as [number, number, number];
  if (rows !== 1_000_000) throw new Error(`pyspark returned ${rows} rows`);
  ratio = seconds / cli.seconds;
  pyLine = `${seconds.toFixed(2)} s (${(1 / seconds).toFixed(2)} M rows/s, ${rssMb.toFixed(0)} MB)`;
}
lines.push(row('1M rows → CSV, `lhctl sql -o csv` end to end', `${cli.seconds.toFixed(2)} s`, '', true));
lines.push(row('  lhctl client in-process (execute + CSV render)', `${lhctlInProcess.toFixed(2)} s`, '', true));
lines.push(row('  pyspark client spark.sql(q).toArrow() (query only)', pyLine, '', true));
lines.push(row('  throughput lhctl CLI vs pyspark toArrow', `${ratio.toFixed(2)}x`, '>= 0.8x', ratio >= 0.8));
lines.push(row('  peak RSS of lhctl', `${cli.peakMb.toFixed(0)} MB`, '<= 300 MB', cli.peakMb <= 300));
console.log(lines.join('\n'));

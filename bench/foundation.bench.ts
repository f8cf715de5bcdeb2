// Issue "Foundation" benchmarks, measured side by side in one run:
//  1. `lhctl --help` cold start (goal <= 150 ms)
//  2. warm `lhctl sql "select 1"` end to end vs the bare client call in-process (goal <= 250 ms total)
//  3. 1M rows to CSV: lhctl vs pyspark's Spark Connect client toArrow() on the same server
//     (goal >= 0.8x its throughput, peak RSS <= 300 MB), compared three ways: clients on warm
//     sessions, whole processes, and lhctl's whole process against pyspark's query alone
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { queryRows } from '../src/engines/engine.js';
import { openLocalEngine } from '../src/engines/local/index.js';
import { render } from '../src/output/render.js';
import { CLI, HOME, REPO, median, row, serverPort, timed, token } from './support.js';

const MILLION = "SELECT id, id * 2 AS twice, CAST(id AS STRING) AS label, CAST(id / 3 AS DECIMAL(18,4)) AS third, DATE_ADD(DATE'2024-01-01', CAST(id % 365 AS INT)) AS day FROM range(0, 1000000)";

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

// 3. 1M rows to CSV. The server's time to first batch dominates and shrinks as its JIT warms, so
// the query runs once to warm up, then lhctl and pyspark alternate and the medians are compared.
const devNull = new Writable({ write: (_c, _e, cb) => cb() });
async function inProcessCsv(): Promise<number> {
  const t0 = performance.now();
  const stream = await engine.execute(MILLION);
  await render(devNull, { kind: 'table', columns: stream.columns, rows: stream }, { format: 'csv', color: false });
  return (performance.now() - t0) / 1000;
}
await inProcessCsv();
const python = join(REPO, 'bench', '.venv', 'bin', 'python');
const hasPython = existsSync(python);
const cliRuns: { seconds: number; peakMb: number }[] = [];
const inProcessRuns: number[] = [];
const pyRuns: { seconds: number; processSeconds: number; rssMb: number }[] = [];
for (let i = 0; i < 3; i++) {
  // stdout goes through a pipe to wc, as it would to a file or another tool, not into our memory.
  const cli = timed(['sh', '-c', `"${node}" "${CLI}" sql "${MILLION.replace(/"/g, '\\"')}" -o csv | wc -l`]);
  const csvLines = Number(cli.stdout.trim()) - 1;
  if (csvLines !== 1_000_000) throw new Error(`expected 1,000,000 CSV rows, got ${csvLines}`);
  cliRuns.push(cli);
  inProcessRuns.push(await inProcessCsv());
  if (hasPython) {
    const py = timed([python, join(REPO, 'bench', 'pyspark_to_arrow.py'), String(serverPort()), token(), MILLION]);
    const [rows, seconds, rssMb] = py.stdout.trim().split('\n').pop()!.split(' ').map(Number) as [number, number, number];
    if (rows !== 1_000_000) throw new Error(`pyspark returned ${rows} rows`);
    pyRuns.push({ seconds, processSeconds: py.seconds, rssMb });
  }
}
await engine.close();
const cliSeconds = median(cliRuns.map((r) => r.seconds));
const peakMb = Math.max(...cliRuns.map((r) => r.peakMb));
const inProcessSeconds = median(inProcessRuns);
const pySeconds = hasPython ? median(pyRuns.map((r) => r.seconds)) : Number.NaN;
const pyProcessSeconds = hasPython ? median(pyRuns.map((r) => r.processSeconds)) : Number.NaN;
// Three comparisons, each side measured the same way except the last: clients on warm sessions
// (the throughput of the clients themselves), whole processes (what a script waits for), and lhctl's
// whole process against pyspark's query alone (the strictest, charging lhctl its start-up).
const clientRatio = pySeconds / inProcessSeconds;
const processRatio = pyProcessSeconds / cliSeconds;
const strictRatio = pySeconds / cliSeconds;
lines.push(row('1M rows → CSV, `lhctl sql -o csv` end to end (median of 3)', `${cliSeconds.toFixed(2)} s`, '', true));
lines.push(row('  lhctl client in-process, warm session, execute + CSV', `${inProcessSeconds.toFixed(2)} s`, '', true));
lines.push(
  row(
    '  pyspark spark.sql(q).toArrow(), warm session',
    hasPython ? `${pySeconds.toFixed(2)} s, ${Math.max(...pyRuns.map((r) => r.rssMb)).toFixed(0)} MB` : 'not installed (bench/setup-python.sh)',
    '',
    true,
  ),
);
lines.push(row('  pyspark script end to end (start, import, session)', hasPython ? `${pyProcessSeconds.toFixed(2)} s` : 'not installed', '', true));
lines.push(row('  clients on warm sessions: lhctl vs pyspark', `${clientRatio.toFixed(2)}x`, '>= 0.8x', clientRatio >= 0.8));
lines.push(row('  whole processes: lhctl CLI vs pyspark script', `${processRatio.toFixed(2)}x`, '>= 0.8x', processRatio >= 0.8));
lines.push(row('  strictest: lhctl CLI vs pyspark query alone', `${strictRatio.toFixed(2)}x`, '>= 0.8x', strictRatio >= 0.8));
lines.push(row('  peak RSS of lhctl', `${peakMb.toFixed(0)} MB`, '<= 300 MB', peakMb <= 300));
console.log(lines.join('\n'));

import type { Writable } from 'node:stream';
import Table from 'cli-table3';
import type { RecordBatch } from 'apache-arrow';
import type { Column, ResultStream, Row, Value } from '../core/types.js';
import type { CommandData, RecordData, TableData } from '../commands/command.js';
import { csvCell, csvLine, jsonValue, textValue } from './values.js';

export { OUTPUT_FORMATS, type OutputFormat } from '../commands/args.js';
import type { OutputFormat } from '../commands/args.js';

export interface RenderOptions {
  format: OutputFormat;
  color: boolean;
  /** Stop after this many rows per result. */
  limit?: number;
  /** Where notes about the output go (row counts, truncation): stderr for the CLI. */
  note?: (message: string) => void;
}

/** Rows of a table page are rendered in pages of this size so huge results never sit in memory. */
const TABLE_PAGE_ROWS = 1000;
const MAX_CELL_WIDTH = 60;

/** Writes and waits when the stream's buffer is full, so a slow reader throttles the query. */
async function write(out: Writable, text: string | Uint8Array): Promise<void> {
  if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', resolve));
}

async function* limited(rows: AsyncIterable<Row[]> | Row[], limit: number | undefined): AsyncGenerator<Row[]> {
  let remaining = limit ?? Number.POSITIVE_INFINITY;
  if (remaining <= 0) return;
  const batches: AsyncIterable<Row[]> = Array.isArray(rows)
    ? (async function* () {
        if (rows.length) yield rows;
      })()
    : rows;
  for await (const batch of batches) {
    if (batch.length >= remaining) {
      yield batch.slice(0, remaining);
      return; // leaving the loop closes the source, which cancels the rest on the engine
    }
    remaining -= batch.length;
    yield batch;
  }
}

function hasArrowBatches(rows: TableData['rows']): rows is ResultStream & Required<Pick<ResultStream, 'arrowBatches'>> {
  return !Array.isArray(rows) && typeof (rows as ResultStream).arrowBatches === 'function';
}

/** CSV rows formatted column by column from Arrow batches; returns the number of rows written. */
async function writeArrowCsv(out: Writable, batches: AsyncIterable<RecordBatch>, limit: number | undefined): Promise<number> {
  // Loaded here: only engines that stream Arrow offer these batches, and they have Arrow loaded already.
  const { ArrowCsvEncoder } = await import('./arrowCsv.js');
  const encoder = new ArrowCsvEncoder();
  let count = 0;
  let remaining = limit ?? Number.POSITIVE_INFINITY;
  if (remaining <= 0) return 0;
  for await (const batch of batches) {
    const last = batch.numRows >= remaining;
    // Waiting until the stream has taken the chunk lets the encoder fill the same memory again.
    await new Promise<void>((resolve, reject) => out.write(encoder.encode(last ? batch.slice(0, remaining) : batch), (error) => (error ? reject(error) : resolve())));
    encoder.reuse();
    count += Math.min(batch.numRows, remaining);
    remaining -= batch.numRows;
    if (last) break; // leaving the loop closes the source, which cancels the rest on the engine
  }
  return count;
}

/** One CSV line of a row of JS values. */
function csvRow(row: Row): string {
  let line = '';
  for (let c = 0; c < row.length; c++) {
    if (c > 0) line += ',';
    line += csvCell(row[c]);
  }
  return line + '\r\n';
}

function cell(value: Value): string {
  if (value === null) return 'NULL';
  const text = textValue(value, 'hex');
  return text.length > MAX_CELL_WIDTH ? `${text.slice(0, MAX_CELL_WIDTH - 1)}…` : text;
}

function tableStyle(color: boolean): { head: string[]; border: string[] } {
  return color ? { head: ['cyan'], border: ['grey'] } : { head: [], border: [] };
}

// No rule between data rows: denser, like psql and the Databricks CLI.
const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

async function renderTableData(out: Writable, data: TableData, options: RenderOptions): Promise<number> {
  const { format } = options;
  const names = data.columns.map((c) => c.name);
  let count = 0;
  if (format === 'json') {
    await write(out, '[');
    for await (const batch of limited(data.rows, options.limit)) {
      let text = '';
      for (const row of batch) {
        text += `${count++ === 0 ? '\n' : ',\n'}{${names.map((n, i) => `${JSON.stringify(n)}:${jsonValue(row[i] ?? null)}`).join(',')}}`;
      }
      await write(out, text);
    }
    await write(out, count === 0 ? ']\n' : '\n]\n');
    return count;
  }
  if (format === 'csv') {
    await write(out, csvLine(names));
    if (hasArrowBatches(data.rows)) return writeArrowCsv(out, data.rows.arrowBatches(), options.limit);
    for await (const batch of limited(data.rows, options.limit)) {
      let text = '';
      for (const row of batch) text += csvRow(row);
      count += batch.length;
      await write(out, text);
    }
    return count;
  }
  if (data.title) await write(out, `${data.title}\n`);
  let page: Row[] = [];
  const flush = async (): Promise<void> => {
    const table = new Table({ head: names, style: tableStyle(options.color), chars: COMPACT });
    for (const row of page) table.push(row.map((v) => cell(v ?? null)));
    await write(out, table.toString() + '\n');
    page = [];
  };
  for await (const batch of limited(data.rows, options.limit)) {
    for (const row of batch) {
      page.push(row);
      count++;
      if (page.length >= TABLE_PAGE_ROWS) await flush();
    }
  }
  if (page.length > 0 || count === 0) await flush();
  options.note?.(`${count} row${count === 1 ? '' : 's'}`);
  return count;
}

async function renderRecord(out: Writable, data: RecordData, options: RenderOptions): Promise<void> {
  const entries = Object.entries(data.data);
  if (options.format === 'json') return write(out, `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${jsonValue(v)}`).join(',')}}\n`);
  if (options.format === 'csv') return write(out, csvLine(entries.map(([k]) => k)) + csvLine(entries.map(([, v]) => textValue(v))));
  const table = new Table({ style: tableStyle(options.color), chars: COMPACT });
  for (const [key, value] of entries) table.push({ [key]: cell(value) });
  await write(out, `${data.title ? `${data.title}\n` : ''}${table.toString()}\n`);
}

/** Renders a command's data. Results stream: rows are written as they arrive. */
export async function render(out: Writable, data: CommandData, options: RenderOptions): Promise<void> {
  switch (data.kind) {
    case 'table':
      await renderTableData(out, data, options);
      return;
    case 'record':
      await renderRecord(out, data, options);
      return;
    case 'message':
      if (options.format === 'json') await write(out, `${JSON.stringify({ message: data.text })}\n`);
      else if (options.format === 'table') await write(out, `${data.text}\n`);
      else options.note?.(data.text);
      return;
    case 'multi':
      if (options.format === 'json') return renderJsonParts(out, data.results, options);
      for await (const part of data.results) await render(out, part, options);
      return;
  }
}

/**
 * `--output json` prints one JSON document per command: one part as itself, several as one object
 * keyed by each part's title (`part N` when it has none), each value streamed as it arrives.
 */
async function renderJsonParts(out: Writable, results: AsyncIterable<CommandData> | CommandData[], options: RenderOptions): Promise<void> {
  const parts =
    (results as AsyncIterable<CommandData>)[Symbol.asyncIterator]?.() ??
    (async function* () {
      yield* results as CommandData[];
    })();
  const first = await parts.next();
  if (first.done) return write(out, '{}\n');
  const second = await parts.next();
  if (second.done) return render(out, first.value, options);
  const keys = new Set<string>();
  const keyOf = (part: CommandData, index: number): string => {
    const title = (part.kind === 'table' || part.kind === 'record' ? part.title : undefined) ?? (part.kind === 'message' ? 'message' : `part ${index + 1}`);
    let key = title;
    for (let n = 2; keys.has(key); n++) key = `${title} (${n})`;
    keys.add(key);
    return key;
  };
  let index = 0;
  const part = async (value: CommandData): Promise<void> => {
    await write(out, `${index === 0 ? '{' : ','}${JSON.stringify(keyOf(value, index))}:`);
    index++;
    await render(out, value, options);
  };
  await part(first.value);
  await part(second.value);
  for (let next = await parts.next(); !next.done; next = await parts.next()) await part(next.value);
  await write(out, '}\n');
}

export function columnsOf(names: string[], type = 'string'): Column[] {
  return names.map((name) => ({ name, type, nullable: true }));
}

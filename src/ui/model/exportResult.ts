import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { UsageError } from '../../core/errors.js';
import { render } from '../../output/render.js';
import type { ResultModel } from './resultModel.js';

/** Writes the rows of the result on screen with the CLI's own csv/json renderer; resolves to the row count. */
export async function exportResult(model: ResultModel, format: string, file: string, cwd: string): Promise<{ rows: number; path: string; complete: boolean }> {
  if (format !== 'csv' && format !== 'json') throw new UsageError(`export format must be csv or json (got "${format}")`, { hint: 'Example: :export csv /tmp/result.csv' });
  const table = model.lastTable;
  if (!table) throw new UsageError('nothing to export: the result on screen has no rows', { hint: 'Run a query in the SQL pane (s) or open a table tab first.' });
  const path = resolve(cwd, file);
  const out = createWriteStream(path, { mode: 0o644 });
  const rows = table.rows.slice();
  await render(out, { kind: 'table', columns: table.columns, rows }, { format, color: false });
  out.end();
  await finished(out);
  return { rows: rows.length, path, complete: table.done && !table.truncated };
}

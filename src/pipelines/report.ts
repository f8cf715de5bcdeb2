import type { Column, Row } from '../core/types.js';
import { queryRows, type SqlEngine } from '../engines/engine.js';
import { renderSqlFile, type RenderTarget } from '../sql/index.js';

export interface ReportTable {
  title: string;
  columns: Column[];
  rows: Row[];
}

const REPORTS = {
  tables: { sql: 'quality/summary_tables', title: 'rows per table and layer' },
  quarantine: { sql: 'quality/summary_quarantine', title: 'quarantined rows by source and reason' },
  scd2: { sql: 'quality/summary_scd2', title: 'SCD2 versions' },
  checks: { sql: 'quality/summary_checks', title: 'quality rules (current outcome)' },
} as const;

export type ReportName = keyof typeof REPORTS;

/** One of the pipeline's summary queries, run on the env's engine. */
export async function pipelineReport(engine: SqlEngine, target: RenderTarget, name: ReportName, signal?: AbortSignal): Promise<ReportTable> {
  const report = REPORTS[name];
  const { columns, rows } = await queryRows(engine, renderSqlFile(report.sql, target), signal ? { signal } : {});
  return { title: report.title, columns, rows };
}

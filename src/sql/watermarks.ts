import { ConfigError } from '../core/errors.js';
import type { Profile } from '../profiles/profile.js';
import { qualifiedName, stringLiteral } from './identifiers.js';

/**
 * Incremental reads. A task's SQL names what it reads incrementally as `{{changes:<layer>.<table>}}`;
 * `{{watermarks_read}}` opens its range on each such source, `{{watermarks_advance}}` closes it. The
 * range is (stored watermark, latest change] of the source's Change Data Feed, kept in session
 * variables, and the watermark moves in the task's last statement, after its writes. A run killed in
 * between reads the same range again; every write of the pipeline is a MERGE keyed so that a second
 * pass over a range changes nothing, so nothing is skipped or doubled. Plain SQL, so the same files
 * run on a Databricks SQL warehouse as deployed.
 */

/** `<layer>.<table>`, e.g. `silver.customers`: how SQL files, run records and the watermark table name a source. */
export type SourceName = string;

const SOURCE = /^(bronze|silver|gold)\.([a-z_]+)$/;
export const WATERMARK_TABLE = 'pipeline_watermarks';

/**
 * Versions the local runner fixed before a task, from the Delta log: the upper end of each source's
 * range (so a source whose newest commits carry no data, an OPTIMIZE, is still read up to its newest
 * version), and with `whole` a full refresh, which reads each source whole at that version instead of
 * its change feed. Without them (as deployed to Databricks) the SQL finds the upper end itself.
 */
export interface SourceVersions {
  upTo: Readonly<Record<SourceName, number>>;
  whole: boolean;
}

export function parseSource(text: string, file: string): { layer: 'bronze' | 'silver' | 'gold'; table: string } {
  const match = SOURCE.exec(text);
  if (!match) throw new ConfigError(`${file}: {{changes:${text}}} must name a table as <bronze|silver|gold>.<table>`);
  return { layer: match[1] as 'bronze' | 'silver' | 'gold', table: match[2]! };
}

/** Sources a template reads incrementally, in order of first use. */
export function changeSources(template: string): SourceName[] {
  const found = [...template.matchAll(/\{\{\s*changes:([a-z_.]+)\s*\}\}/g)].map((m) => m[1]!);
  return [...new Set(found)];
}

/** The consumer a watermark belongs to: the SQL file's name, e.g. `gold/fact_sales`. */
export function consumerOf(file: string): string {
  return file.replace(/^sql\//, '').replace(/\.sql$/, '');
}

export function watermarkTable(profile: Profile): string {
  return qualifiedName(profile.catalog, profile.schemas.silver, WATERMARK_TABLE);
}

export function sourceTable(profile: Profile, source: SourceName, file: string): string {
  const { layer, table } = parseSource(source, file);
  return qualifiedName(profile.catalog, profile.schemas[layer], table);
}

/** Session variables holding a source's range: (from, to] and the rows it holds. */
export function rangeVariables(source: SourceName): { from: string; to: string; rows: string } {
  const stem = source.replace('.', '_');
  return { from: `lhctl_from_${stem}`, to: `lhctl_to_${stem}`, rows: `lhctl_rows_${stem}` };
}

function fixedVersion(fixed: SourceVersions, source: SourceName, file: string): number {
  const version = fixed.upTo[source];
  if (version === undefined) throw new ConfigError(`${file}: no version fixed for ${source}`);
  return version;
}

export function changesRelation(profile: Profile, source: SourceName, file: string, fixed?: SourceVersions): string {
  const table = sourceTable(profile, source, file);
  const v = rangeVariables(source);
  if (fixed?.whole) {
    const version = fixedVersion(fixed, source, file);
    return `(SELECT *, 'insert' AS _change_type, CAST(${version} AS BIGINT) AS _commit_version FROM ${table} VERSION AS OF ${version})`;
  }
  return `(SELECT * FROM table_changes(${stringLiteral(table)}, greatest(${v.from}, 0)) WHERE _commit_version > ${v.from} AND _commit_version <= ${v.to})`;
}

/** Statements opening each source's range: read the stored watermark, fix the upper end, count the rows. */
export function watermarkReadSql(profile: Profile, file: string, sources: readonly SourceName[], fixed?: SourceVersions): string {
  const consumer = consumerOf(file);
  return sources
    .map((source) => {
      const v = rangeVariables(source);
      const table = sourceTable(profile, source, file);
      const from = fixed?.whole ? '-1' : `(SELECT coalesce(max(version), -1) FROM ${watermarkTable(profile)} WHERE consumer = ${stringLiteral(consumer)} AND source = ${stringLiteral(source)})`;
      // The upper end is fixed first, so rows a concurrent writer adds later wait for the next run.
      const to = fixed ? String(fixedVersion(fixed, source, file)) : `(SELECT coalesce(max(_commit_version), ${v.from}) FROM table_changes(${stringLiteral(table)}, greatest(${v.from}, 0)))`;
      return [
        `DECLARE OR REPLACE VARIABLE ${v.from} BIGINT DEFAULT -1`,
        `SET VAR ${v.from} = ${from}`,
        `DECLARE OR REPLACE VARIABLE ${v.to} BIGINT DEFAULT -1`,
        `SET VAR ${v.to} = ${to}`,
        `DECLARE OR REPLACE VARIABLE ${v.rows} BIGINT DEFAULT 0`,
        `SET VAR ${v.rows} = (SELECT count(*) FROM ${changesRelation(profile, source, file, fixed)})`,
      ].join(';\n');
    })
    .join(';\n');
}

/**
 * The task's last statement: each source's watermark moves to the end of the range just read.
 * Unchanged watermarks match no clause, so a run with nothing new commits nothing here either.
 */
export function watermarkAdvanceSql(profile: Profile, file: string, sources: readonly SourceName[]): string {
  const consumer = stringLiteral(consumerOf(file));
  const rows = sources.map((source) => `SELECT ${consumer} AS consumer, ${stringLiteral(source)} AS source, ${rangeVariables(source).to} AS version`);
  return [
    `MERGE INTO ${watermarkTable(profile)} AS t`,
    `USING (${rows.join(' UNION ALL ')}) AS s`,
    // The literal consumer keeps each task to its own partition, so tasks running at once never conflict.
    `ON t.consumer = ${consumer} AND t.consumer = s.consumer AND t.source = s.source`,
    'WHEN MATCHED AND t.version <> s.version THEN UPDATE SET version = s.version, updated_at = current_timestamp()',
    'WHEN NOT MATCHED AND s.version >= 0 THEN INSERT (consumer, source, version, updated_at) VALUES (s.consumer, s.source, s.version, current_timestamp())',
  ].join('\n');
}

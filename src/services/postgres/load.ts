import type pg from 'pg';
import { type OrdersDatabase, pgIdentifier, withOrdersDb } from './client.js';
import { type Cells, csvCells, jsonCells } from './sourceLines.js';
import { addFields, columnOfField, ORDERS_DB_SPECS, ORDERS_DB_TABLES, type OrdersDbTable, tableFields } from './tables.js';

/** One table's file of one batch: its lines as landed (a CSV file's header first). */
export interface TableLines {
  table: OrdersDbTable;
  lines: string[];
}

/** What loading one table's lines of one batch did. Every data line is counted in exactly one of the five first counts. */
export interface TableLoadResult {
  table: OrdersDbTable;
  batch: number;
  /** Data lines in the file (a CSV header excluded, blank lines ignored). */
  lines: number;
  inserted: number;
  updated: number;
  /** Rows already holding this content, or already written by a later batch (a reload changes nothing). */
  unchanged: number;
  /** Lines identical to an earlier line of the same batch: the row holds them once. */
  duplicates: number;
  /** Lines no parser accepts (a JSON line cut short, a CSV line with an open quote or extra cells): no row can hold them. */
  notRepresentable: number;
  /** Lines whose key another, different line of the batch already took: kept under a key of their own (see rowKey). */
  sameKeyVersions: number;
  /** Lines with a key field empty, kept under a key of their own. */
  nullKeys: number;
  /** Fields this batch brought that the table did not have (added as text columns). */
  addedFields: string[];
}

interface PreparedRow {
  rowKey: string;
  cells: Cells;
}

/**
 * The row a line lands in. A line owns its business key (customer_id; order_id|status; snapshot_date|store_id|
 * product_id), so a later batch's version of it UPDATEs that row. Within one batch a key can only hold one
 * line: a second, different line with the same key, and a line with an empty key field, get a key of their
 * own, `<key>@<batch>:<line number>`, stable across reloads. So dirt that shares its clean twin's key (a
 * garbled date, a negative quantity) is kept beside it, not over it.
 */
function prepare(table: OrdersDbTable, batch: number, lines: string[], result: TableLoadResult): { rows: PreparedRow[]; fields: string[] } {
  const spec = ORDERS_DB_SPECS[table];
  const data = spec.format === 'csv' ? lines.slice(1) : lines;
  const header = spec.format === 'csv' ? (lines[0] ?? '').replace(/\r$/, '').split(',') : [];
  const fields = [...header];
  const rows: PreparedRow[] = [];
  const seenLines = new Set<string>();
  const keyOwners = new Set<string>();
  data.forEach((line, index) => {
    if (line.trim() === '') return;
    result.lines++;
    const cells = spec.format === 'csv' ? csvCells(header, line) : jsonCells(line);
    if (!cells) {
      result.notRepresentable++;
      return;
    }
    if (seenLines.has(line)) {
      result.duplicates++;
      return;
    }
    seenLines.add(line);
    for (const field of cells.keys()) if (!fields.includes(field)) fields.push(field);
    const parts = spec.key.map((f) => cells.get(f) ?? null);
    const key = parts.map((p) => p ?? '').join('|');
    const lineNumber = index + 1 + (spec.format === 'csv' ? 1 : 0);
    let rowKey = key;
    if (parts.some((p) => p === null || p.trim() === '')) {
      result.nullKeys++;
      rowKey = `${key}@${batch}:${lineNumber}`;
    } else if (keyOwners.has(key)) {
      result.sameKeyVersions++;
      rowKey = `${key}@${batch}:${lineNumber}`;
    } else {
      keyOwners.add(key);
    }
    rows.push({ rowKey, cells });
  });
  return { rows, fields };
}

const CHUNK_ROWS = 2000;

/**
 * Upserts rows in one statement: new keys are inserted; an existing row is updated only when this batch is
 * not older than the one that wrote it and its content differs — then `updated_at` moves to this batch's stamp.
 */
async function upsert(client: pg.Client, table: OrdersDbTable, fields: string[], rows: PreparedRow[], batch: number, stamp: string): Promise<{ inserted: number; updated: number }> {
  const name = pgIdentifier(table);
  const columns = fields.map((f) => pgIdentifier(columnOfField(f)));
  const unnest = ['row_key', ...fields.map((_, i) => `c${i}`)];
  const sql = [
    `INSERT INTO ${name} AS t (row_key, batch, updated_at${columns.map((c) => `, ${c}`).join('')})`,
    `SELECT r.row_key, $1::integer, $2::timestamptz${fields.map((_, i) => `, r.c${i}`).join('')}`,
    `FROM unnest(${unnest.map((_, i) => `$${i + 3}::text[]`).join(', ')}) AS r(${unnest.join(', ')})`,
    `ON CONFLICT (row_key) DO UPDATE SET batch = EXCLUDED.batch, updated_at = EXCLUDED.updated_at${columns.map((c) => `, ${c} = EXCLUDED.${c}`).join('')}`,
    `WHERE t.batch <= EXCLUDED.batch AND (${columns.map((c) => `t.${c}`).join(', ')}) IS DISTINCT FROM (${columns.map((c) => `EXCLUDED.${c}`).join(', ')})`,
    // xmax is 0 on a freshly inserted row version: the usual way to tell an insert from an update in RETURNING.
    'RETURNING (xmax = 0) AS inserted',
  ].join('\n');
  let inserted = 0;
  let updated = 0;
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
    const chunk = rows.slice(start, start + CHUNK_ROWS);
    const arrays = [chunk.map((r) => r.rowKey), ...fields.map((f) => chunk.map((r) => r.cells.get(f) ?? null))];
    const result = await client.query<{ inserted: boolean }>(sql, [batch, stamp, ...arrays]);
    for (const row of result.rows) row.inserted ? inserted++ : updated++;
  }
  return { inserted, updated };
}

/** Serialises writers of the orders database, so each batch's stamp is later than every committed change. */
const WRITER_LOCK = "hashtext('lhctl orders database writer')";

/** A change time later than every row's (and than the clock), taken under the writer lock; text keeps its microseconds. */
export async function nextChangeStamp(client: pg.Client): Promise<string> {
  await client.query(`SELECT pg_advisory_xact_lock(${WRITER_LOCK})`);
  const newest = ORDERS_DB_TABLES.map((t) => `SELECT max(updated_at) AS m FROM ${pgIdentifier(t)}`).join(' UNION ALL ');
  const result = await client.query<{ stamp: string }>(`SELECT greatest(clock_timestamp(), (SELECT max(m) FROM (${newest}) x) + interval '1 microsecond')::text AS stamp`);
  return result.rows[0]!.stamp;
}

/**
 * Loads one batch of every table it is given in one transaction: all its rows change together, under one
 * `updated_at` later than any before. Reloading a batch already loaded changes nothing.
 */
export async function loadBatch(db: OrdersDatabase, batch: number, files: TableLines[]): Promise<TableLoadResult[]> {
  return withOrdersDb(db, async (client) => {
    await client.query('BEGIN');
    try {
      const stamp = await nextChangeStamp(client);
      const results: TableLoadResult[] = [];
      for (const { table, lines } of files) {
        const result: TableLoadResult = { table, batch, lines: 0, inserted: 0, updated: 0, unchanged: 0, duplicates: 0, notRepresentable: 0, sameKeyVersions: 0, nullKeys: 0, addedFields: [] };
        const { rows, fields } = prepare(table, batch, lines, result);
        const known = await tableFields(client, table);
        result.addedFields = await addFields(client, table, known, fields);
        const { inserted, updated } = await upsert(client, table, [...known, ...result.addedFields], rows, batch, stamp);
        result.inserted = inserted;
        result.updated = updated;
        result.unchanged = rows.length - inserted - updated;
        results.push(result);
      }
      await client.query('COMMIT');
      return results;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  });
}

/**
 * Changes source fields of the rows matching `where` (fields by their source names, e.g. { customer_id: 'C00001' })
 * and stamps them as one change, as an application writing the database would: for the "a row updated in
 * PostgreSQL reaches silver and gold" case. Returns the rows changed.
 */
export async function updateRows(db: OrdersDatabase, table: OrdersDbTable, where: Record<string, string>, set: Record<string, string | null>): Promise<number> {
  return withOrdersDb(db, async (client) => {
    await client.query('BEGIN');
    try {
      const stamp = await nextChangeStamp(client);
      const setFields = Object.keys(set);
      const whereFields = Object.keys(where);
      const assignments = setFields.map((f, i) => `${pgIdentifier(columnOfField(f))} = $${i + 2}`);
      const conditions = whereFields.map((f, i) => `${pgIdentifier(columnOfField(f))} = $${i + 2 + setFields.length}`);
      const sql = `UPDATE ${pgIdentifier(table)} SET updated_at = $1::timestamptz${assignments.map((a) => `, ${a}`).join('')} WHERE ${conditions.join(' AND ') || 'true'}`;
      const result = await client.query(sql, [stamp, ...Object.values(set), ...Object.values(where)]);
      await client.query('COMMIT');
      return result.rowCount ?? 0;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  });
}

// How the orders database names its columns; no database client here, so the SQL renderer can use it.

/**
 * Columns the loader owns, ahead of the source's: the row's key, the batch that last wrote it, and when it
 * last changed (the JDBC pull's watermark, strictly increasing by batch).
 */
export const LOADER_COLUMNS = ['row_key', 'batch', 'updated_at'] as const;

/** The column a source field is kept in: its own name, or `source_<name>` where a loader column has it (customers.updated_at). */
export function columnOfField(field: string): string {
  return (LOADER_COLUMNS as readonly string[]).includes(field) ? `source_${field}` : field;
}

/** The source field a column holds, undefined for the loader's own columns. */
export function fieldOfColumn(column: string): string | undefined {
  if ((LOADER_COLUMNS as readonly string[]).includes(column)) return undefined;
  const prefixed = /^source_(.+)$/.exec(column)?.[1];
  return prefixed !== undefined && (LOADER_COLUMNS as readonly string[]).includes(prefixed) ? prefixed : column;
}

import type { RecordBatch } from 'apache-arrow';

/** A result column as the engine describes it; `type` is the Spark SQL type text, e.g. `decimal(10,2)`. */
export interface Column {
  name: string;
  type: string;
  nullable: boolean;
}

/**
 * JS values of a row, positionally matching the columns:
 * - bigint/long → bigint; int/short/byte/float/double → number; decimal → string (exact digits)
 * - timestamp → ISO-8601 string with `Z` (microseconds kept); timestamp_ntz → ISO-8601 without zone
 * - date → `YYYY-MM-DD`; binary → Uint8Array; array → array; map → Map; struct → plain object
 */
export type Value = null | boolean | number | bigint | string | Uint8Array | Value[] | Map<Value, Value> | { [field: string]: Value };

export type Row = Value[];

/** A statement's result: the columns, then rows in batches as they stream in. */
export interface ResultStream extends AsyncIterable<Row[]> {
  readonly columns: Column[];
  /**
   * The same batches as Arrow record batches, for an engine that receives Arrow: a consumer that
   * formats whole columns (CSV) skips building a JS value per cell. Read this or the rows, not both.
   */
  arrowBatches?(): AsyncIterable<RecordBatch>;
}

export type RecordRow = Record<string, Value>;

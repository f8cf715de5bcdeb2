/**
 * Arrow IPC the way a Databricks warehouse sends it over Thrift when the client turned native
 * Arrow types off: the schema message in the result metadata, record batch messages in each
 * FetchResults. Timestamps, decimals and nested types travel as strings; integers as Arrow ints.
 */
import { Bool, DateDay, Field, Float32, Float64, Int8, Int16, Int32, Int64, Schema, Table, Utf8, tableToIPC, vectorFromArray, type DataType } from 'apache-arrow';
import { thrift as driverThrift } from '@databricks/sql';
import type { ScriptedColumn } from './thriftHandler.js';

const T = driverThrift.TCLIService_types;

function arrowType(column: ScriptedColumn): DataType {
  switch (column.type) {
    case T.TTypeId.BOOLEAN_TYPE:
      return new Bool();
    case T.TTypeId.TINYINT_TYPE:
      return new Int8();
    case T.TTypeId.SMALLINT_TYPE:
      return new Int16();
    case T.TTypeId.INT_TYPE:
      return new Int32();
    case T.TTypeId.BIGINT_TYPE:
      return new Int64();
    case T.TTypeId.FLOAT_TYPE:
      return new Float32();
    case T.TTypeId.DOUBLE_TYPE:
      return new Float64();
    case T.TTypeId.DATE_TYPE:
      return new DateDay();
    default:
      return new Utf8();
  }
}

function arrowValue(column: ScriptedColumn, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (column.type === T.TTypeId.BIGINT_TYPE) return BigInt(value as number);
  if (column.type === T.TTypeId.DATE_TYPE) return new Date(`${String(value)}T00:00:00Z`);
  if (arrowType(column) instanceof Utf8) return String(value);
  return value;
}

/** Length of the first (schema) message of an IPC stream: continuation, length, metadata. */
function schemaMessageLength(stream: Uint8Array): number {
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  return 8 + view.getInt32(4, true);
}

function ipc(columns: ScriptedColumn[], rows: unknown[][]): Uint8Array {
  const vectors = Object.fromEntries(
    columns.map((c, i) => [
      c.name,
      vectorFromArray(
        rows.map((r) => arrowValue(c, r[i])),
        arrowType(c),
      ),
    ]),
  );
  const schema = new Schema(columns.map((c) => new Field(c.name, arrowType(c), true)));
  return tableToIPC(rows.length ? new Table(vectors) : new Table(schema), 'stream');
}

export function arrowSchemaBytes(columns: ScriptedColumn[]): Buffer {
  const stream = ipc(columns, []);
  return Buffer.from(stream.subarray(0, schemaMessageLength(stream)));
}

/** The record batch messages for `rows`, without the schema message and the end-of-stream marker. */
export function arrowBatchBytes(columns: ScriptedColumn[], rows: unknown[][]): Buffer {
  const stream = ipc(columns, rows);
  return Buffer.from(stream.subarray(schemaMessageLength(stream), stream.byteLength - 8));
}

import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LocalLayout } from './layout.js';

/**
 * Spark keeps a managed table in `<warehouse>/<schema>.db/<table>` (`<warehouse>/<table>` for the
 * `default` schema). Delta refuses to create a managed table whose folder is not empty, and an
 * interrupted CREATE TABLE (a cancelled run, a killed engine) leaves exactly that behind: data files
 * or a half-written log with no commit, or a first commit the catalog never registered because the
 * engine died between the two. The catalog does not know the table, so nothing can read the folder,
 * and the rerun that should repair things fails instead.
 *
 * Delta raises that error only for a table the catalog does not hold. Given the table it was raised
 * for and the location it names, this moves the folder into the layout's `orphanedDir` (nothing is deleted)
 * and returns where it went — but only when the location is that table's own managed folder inside
 * the local warehouse. Any other location (an explicit `LOCATION`, a folder outside the warehouse) is
 * left alone and `undefined` is returned.
 */
export function setAsideOrphanedTable(failure: { tableId: string; tableLocation: string }, dirs: Pick<LocalLayout, 'warehouseDir' | 'orphanedDir'>, now = new Date()): string | undefined {
  const folder = localPath(failure.tableLocation);
  const table = schemaAndTable(failure.tableId);
  if (!folder || !table || resolve(folder) !== managedFolder(dirs.warehouseDir, table) || !existsSync(folder)) return undefined;
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const target = join(dirs.orphanedDir, `${table.schema}.${table.name}.${stamp}`);
  mkdirSync(dirs.orphanedDir, { recursive: true });
  renameSync(folder, target);
  return target;
}

/** The folders set aside so far, `<schema>.<table>.<time>`; kept until the operator removes them. */
export function orphanedFolders(orphanedDir: string): string[] {
  return existsSync(orphanedDir) ? readdirSync(orphanedDir) : [];
}

function managedFolder(warehouseDir: string, table: { schema: string; name: string }): string {
  return table.schema === 'default' ? resolve(warehouseDir, table.name) : resolve(warehouseDir, `${table.schema}.db`, table.name);
}

/** `spark_catalog`.`s`.`t`, `s`.`t` or s.t as Delta prints it; names lower-cased as Spark stores them. */
function schemaAndTable(tableId: string): { schema: string; name: string } | undefined {
  const parts = [...tableId.matchAll(/`((?:[^`]|``)+)`|([^.`]+)/g)].map((m) => (m[1]?.replace(/``/g, '`') ?? m[2]!).toLowerCase());
  if (parts.length < 2) return undefined;
  const [schema, name] = parts.slice(-2) as [string, string];
  return { schema, name };
}

function localPath(location: string): string | undefined {
  if (location.startsWith('/')) return location;
  try {
    return fileURLToPath(location);
  } catch {
    return undefined;
  }
}

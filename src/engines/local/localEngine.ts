import type { QueryError } from '../../core/errors.js';
import { capabilitiesOf } from '../engine.js';
import { SparkConnectEngine } from '../sparkConnect/sparkConnectEngine.js';
import type { LocalLayout } from './layout.js';
import { setAsideOrphanedTable } from './orphanedTables.js';

export interface LocalEngineConnection {
  port: number;
  token: string | undefined;
  protoDir: string;
  /** The warehouse and where orphaned table folders go, when this process can see them (the server runs on this machine). */
  dirs?: Pick<LocalLayout, 'warehouseDir' | 'orphanedDir'>;
  /** What the engine did on its own that the operator should hear of (a folder set aside). */
  onNotice?: (message: string) => void;
}

/** The local lakehouse: the Spark Connect server lhctl runs on 127.0.0.1, Delta tables in the spark_catalog. */
export class LocalSqlEngine extends SparkConnectEngine {
  constructor(connection: LocalEngineConnection) {
    super({
      kind: 'local',
      capabilities: capabilitiesOf('local'),
      endpoint: { host: '127.0.0.1', port: connection.port, token: connection.token, protoDir: connection.protoDir },
      server: {
        name: 'the local engine',
        address: `127.0.0.1:${connection.port}`,
        unavailableHint: 'Start it with `lhctl engine start` (see `lhctl engine status` and `lhctl engine logs`).',
        refusedHint: 'Restart the engine so it picks up the current token: `lhctl engine stop && lhctl engine start`.',
        slowHint: 'See `lhctl engine logs`.',
      },
      repair: (error) => movedOrphanedTableAside(error, connection),
    });
  }
}

/**
 * A rerun after an interrupted CREATE TABLE finds the table's folder left behind, unknown to the catalog,
 * and Delta refuses to create the table there; the folder is moved aside (see orphanedTables.ts) so the
 * rerun repairs.
 */
function movedOrphanedTableAside(error: QueryError, connection: LocalEngineConnection): boolean {
  if (error.errorClass !== 'DELTA_CREATE_TABLE_WITH_NON_EMPTY_LOCATION') return false;
  const { tableId, tableLocation } = error.parameters;
  if (!tableId || !tableLocation || !connection.dirs) return false;
  const target = setAsideOrphanedTable({ tableId, tableLocation }, connection.dirs);
  if (target) connection.onNotice?.(`${tableId.replace(/`/g, '')}: the folder an interrupted CREATE left, unknown to the catalog, is moved to ${target}; running the statement again`);
  return target !== undefined;
}

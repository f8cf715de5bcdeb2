/** Unity Catalog's table listing (`GET /api/2.1/unity-catalog/tables`) as the REST reference documents it. */
import { ContractViolation, notFound, type Routes } from '../../databricks/support/restServer.js';

export interface ColumnSpec {
  name: string;
  type: string;
}

/** `catalog.schema` → table name → columns. */
export type TablesState = Map<string, Map<string, ColumnSpec[]>>;

export function tablesRoutes(state: TablesState): Routes {
  return {
    'GET /api/2.1/unity-catalog/tables': (call) => {
      const catalog = call.query['catalog_name'];
      const schema = call.query['schema_name'];
      if (!catalog || !schema) throw new ContractViolation('`catalog_name` and `schema_name` are required');
      const tables = state.get(`${catalog}.${schema}`);
      if (!tables) return notFound(`Schema '${catalog}.${schema}'`);
      return {
        body: {
          tables: [...tables].map(([name, columns]) => ({
            name,
            catalog_name: catalog,
            schema_name: schema,
            full_name: `${catalog}.${schema}.${name}`,
            table_type: 'MANAGED',
            data_source_format: 'DELTA',
            columns: columns.map((c, position) => ({ name: c.name, type_text: c.type, type_name: c.type.replace(/[<(].*$/, '').toUpperCase(), position, nullable: true })),
          })),
        },
      };
    },
  };
}

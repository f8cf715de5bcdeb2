/**
 * The landed sources, in the order the generator writes them. Bronze has one table and one ingest
 * file per source (`sql/bronze/_per_source.sql` rendered for each), so the list lives with the SQL.
 */
export const SOURCES = ['customers', 'products', 'stores', 'inventory', 'orders', 'sales_transactions'] as const;
export type SourceName = (typeof SOURCES)[number];

/** Lineage read from the bundled SQL (no engine): table level, column level, and the tree `lhctl lineage` draws. */
import { describe, expect, it } from 'vitest';
import { bundledColumnLineage } from '../../src/ops/columnLineage.js';
import { bundledTableLineage, lineageTableName, lineageTree } from '../../src/ops/lineageTree.js';
import type { Profile } from '../../src/profiles/profile.js';

const QA = { name: 'qa', catalog: 'retail_datalake', schemas: { bronze: 'qa_bronze', silver: 'qa_silver', gold: 'qa_gold' } } as Profile;

describe('lineage of the bundled SQL', () => {
  it('gold.fact_sales comes from its silver sources and the gold dimensions, and they from bronze', () => {
    const tables = bundledTableLineage();
    expect(tables.get('gold.fact_sales')).toEqual(['gold.dim_customer', 'gold.dim_product', 'gold.dim_store', 'silver.order_events', 'silver.sales_transactions']);
    const upstream = lineageTree(tables, 'gold.fact_sales', 'upstream').map((l) => l.object);
    expect(upstream).toEqual(expect.arrayContaining(['silver.sales_transactions', 'silver.order_events', 'silver.customers', 'bronze.sales_transactions', 'bronze.orders']));
    const downstream = lineageTree(tables, 'gold.fact_sales', 'downstream').map((l) => l.object);
    expect(downstream).toContain('gold.agg_daily_sales');
    expect(downstream).not.toContain('silver.sales_transactions');
  });

  it('net_amount of gold.fact_sales reaches quantity, unit_price and discount_amount in silver', () => {
    const columns = bundledColumnLineage();
    expect(columns.get('gold.fact_sales.net_amount')).toEqual(
      expect.arrayContaining(['silver.sales_transactions.quantity', 'silver.sales_transactions.unit_price', 'silver.sales_transactions.discount_amount']),
    );
    // Online lines come from the order's items; nothing comes from a column of another name that merely shares a table.
    expect(columns.get('gold.fact_sales.net_amount')).toContain('silver.order_events.items');
    expect(columns.get('gold.fact_sales.unit_price')).not.toContain('gold.dim_product.unit_price');
    // Across two hops: the mart's net_amount reaches silver through fact_sales.
    const tree = lineageTree(columns, 'gold.agg_daily_sales.net_amount', 'upstream');
    expect(tree.map((l) => l.tree)).toEqual([
      'gold.agg_daily_sales.net_amount',
      '└─ gold.fact_sales.net_amount',
      '   ├─ silver.order_events.items',
      '   ├─ silver.sales_transactions.discount_amount',
      '   ├─ silver.sales_transactions.quantity',
      '   └─ silver.sales_transactions.unit_price',
    ]);
    expect(columns.get('gold.dim_customer.email')).toEqual(['silver.customers.email']);
    expect(columns.get('gold.fact_sales.store_sk')).toEqual(['gold.dim_store.store_sk']);
  });

  it('names a table by layer, bare name or the env schema, and suggests the closest for a typo', () => {
    expect(lineageTableName(QA, 'gold.fact_sales')).toBe('gold.fact_sales');
    expect(lineageTableName(QA, 'qa_gold.fact_sales')).toBe('gold.fact_sales');
    expect(lineageTableName(QA, 'fact_sales')).toBe('gold.fact_sales');
    expect(() => lineageTableName(QA, 'customers')).toThrow('"customers" names bronze.customers and silver.customers');
    expect(() => lineageTableName(QA, 'gold.fact_sale')).toThrow('no table "gold.fact_sale" in the bundled SQL');
  });
});

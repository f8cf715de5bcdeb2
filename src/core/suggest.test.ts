import { describe, expect, it } from 'vitest';
import { closestNames, editDistance } from './suggest.js';

describe('closest-name suggestions', () => {
  it('measures edits', () => {
    expect(editDistance('history', 'hsitory')).toBe(2);
    expect(editDistance('Gold', 'gold')).toBe(0);
  });

  it('finds qualified tables from a misspelt or unqualified name', () => {
    const tables = ['local_gold.dim_customer', 'local_gold.dim_product', 'local_gold.fact_sales', 'local_silver.customers', 'scratch.t'];
    expect(closestNames('dim_custmer', tables)[0]).toBe('local_gold.dim_customer');
    expect(closestNames('local_gold.fact_sale', tables)).toEqual(['local_gold.fact_sales']);
    expect(closestNames('gold.customers', tables)).toContain('local_silver.customers');
    expect(closestNames('nothing_like_it', tables)).toEqual([]);
  });
});

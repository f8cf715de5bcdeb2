import { describe, expect, it } from 'vitest';
import { writtenTable } from './sqlTask.js';

describe('writtenTable', () => {
  it('names the table an INSERT or MERGE writes, past leading comments', () => {
    expect(writtenTable('-- why\nMERGE INTO `spark_catalog`.`local_gold`.dim_customer AS t USING s ON 1 = 1')).toBe('`spark_catalog`.`local_gold`.dim_customer');
    expect(writtenTable('/* a */ INSERT INTO spark_catalog.local_bronze.orders SELECT 1')).toBe('spark_catalog.local_bronze.orders');
    expect(writtenTable('CREATE TABLE IF NOT EXISTS x (a INT)')).toBeUndefined();
    expect(writtenTable('SELECT * FROM t -- INSERT INTO y')).toBeUndefined();
  });
});

/** The access policy file: the bundled one is valid, and a bad one is refused naming the file, the field and the closest name. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { loadPolicy, parsePolicy, policyRoles } from '../../src/ops/governance/policy.js';

const BASE = `groups:
  analysts: { principal: "{{env}}_analysts" }
  store_managers: { principal: "{{env}}_store_managers_{{region}}", regions: [west, east] }
grants:
  - on: schema gold
    privileges: [USE SCHEMA, SELECT]
    to: [analysts]
masks:
  - column: gold.dim_customer.email
    rule: email
row_filters:
  - table: gold.fact_sales
    column: store_sk
    lookup: gold.dim_store.region
    unfiltered_for: [analysts]
`;

function refusal(text: string): string {
  try {
    parsePolicy(text, 'governance/test.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the policy was accepted');
}

describe('access policy files', () => {
  it('the bundled policy is valid and renders one principal per group and region for an env', () => {
    const policy = loadPolicy();
    const roles = policyRoles(policy, 'qa');
    expect(roles.map((r) => r.principal)).toEqual([
      'qa_data_engineers',
      'qa_analysts',
      'qa_store_managers_central',
      'qa_store_managers_east',
      'qa_store_managers_south',
      'qa_store_managers_west',
      'qa_partners',
    ]);
    expect(policy.masks.map((m) => `${m.layer}.${m.table}.${m.column}`)).toContain('gold.dim_customer.email');
    expect(policy.rowFilters[0]).toMatchObject({ layer: 'gold', table: 'fact_sales', column: 'store_sk', columnType: 'bigint', lookup: { table: 'dim_store', attribute: 'region' } });
  });

  it.each([
    [
      'a table the SQL does not create',
      BASE.replace('gold.dim_customer.email', 'gold.dim_custmer.email'),
      'field `masks[0].column` names table "gold.dim_custmer", which the bundled SQL does not create in silver or gold; did you mean "gold.dim_customer"?',
    ],
    [
      'a column the table does not have',
      BASE.replace('gold.dim_customer.email', 'gold.dim_customer.emial'),
      'field `masks[0].column` names column "emial", which gold.dim_customer does not have; did you mean "email"?',
    ],
    ['an unknown group', BASE.replace('to: [analysts]', 'to: [analyst]'), 'field `grants[0].to[0]` names group "analyst"; did you mean "analysts"?'],
    ['an unknown privilege', BASE.replace('USE SCHEMA, SELECT', 'USE SCHEMA, SELCT'), 'field `grants[0].privileges[1]` names a privilege on a schema "SELCT"; did you mean "SELECT"?'],
    ['an unknown mask rule', BASE.replace('rule: email', 'rule: emails'), 'field `masks[0].rule` names mask rule "emails"; did you mean "email"?'],
    ['a masked non-string column', BASE.replace('gold.dim_customer.email', 'gold.dim_customer.customer_sk'), 'field `masks[0].column` is bigint; masks apply to string columns'],
    [
      'a lookup without the filter column',
      BASE.replace('gold.dim_store.region', 'gold.dim_date.month_name'),
      'field `row_filters[0].lookup` names column "store_sk", which gold.dim_date does not have',
    ],
    ['bronze', BASE.replace('schema gold', 'schema bronze'), 'field `grants[0].on` names schema "bronze"'],
    ['an unknown field', BASE.replace('masks:', 'mask:'), 'field `mask` is not a known field (did you mean `masks`?)'],
    ['regions without {{region}}', BASE.replace('_store_managers_{{region}}', '_store_managers'), 'field `groups.store_managers.principal` must contain {{region}}'],
  ])('refuses %s, naming the file and the field', (_case, text, message) => {
    const error = refusal(text);
    expect(error).toContain('governance/test.yaml: ');
    expect(error).toContain(message);
  });
});

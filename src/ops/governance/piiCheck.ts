import { queryRows, type ExecuteOptions, type SqlEngine } from '../../engines/engine.js';
import type { Profile } from '../../profiles/profile.js';
import { quoteIdentifier } from '../../sql/index.js';
import { bundledTables } from './bundledTables.js';
import { GOVERNED_LAYERS, type GovernedLayer, type MaskRule, type Policy } from './policy.js';
import { tableSql } from './statements.js';

/** What a sampled value can look like; no backslashes, so the patterns read the same in any SQL string literal. */
const LOOKS_LIKE = {
  email: (c: string) => `${c} RLIKE '^[^@ ]+@[^@ ]+[.][A-Za-z]{2,}$'`,
  phone: (c: string) => `(${c} RLIKE '^[+]?[0-9 ().-]{7,20}$' AND length(regexp_replace(${c}, '[^0-9]', '')) >= 7)`,
  street: (c: string) => `${c} RLIKE '^[0-9]{1,6} [A-Za-z0-9 .]+ (St|Ave|Rd|Ln|Way|Dr|Blvd|Ct|Pl|Street|Avenue|Road|Lane|Drive)[.]?$'`,
} as const;
export type PiiKind = keyof typeof LOOKS_LIKE;
const KINDS = Object.keys(LOOKS_LIKE) as PiiKind[];

/** Rows sampled per table, and the share of a column's non-null sample that must match to count. */
export const SAMPLE_ROWS = 1000;
const SHARE = 0.5;

export interface PiiFinding {
  table: string;
  column: string;
  kind: PiiKind;
  matched: number;
  sampled: number;
  mask: MaskRule | undefined;
}

/**
 * Samples the string columns of every silver and gold table on the env for values that look like emails,
 * phone numbers or street addresses; a finding without a mask in the policy fails the check.
 */
export async function checkPiiCoverage(engine: SqlEngine, profile: Profile, policy: Policy, options: ExecuteOptions = {}): Promise<PiiFinding[]> {
  const findings: PiiFinding[] = [];
  const bundled = bundledTables();
  for (const layer of GOVERNED_LAYERS) {
    const { rows: tables } = await queryRows(engine, `SHOW TABLES IN ${quoteIdentifier(profile.catalog)}.${quoteIdentifier(profile.schemas[layer])}`, options).catch(() => ({ rows: [] }));
    for (const name of tables
      .filter((r) => r[2] !== true)
      .map((r) => String(r[1]).toLowerCase())
      .sort()) {
      if (!bundled.has(`${layer}.${name}`)) continue;
      findings.push(...(await sampleTable(engine, profile, policy, layer, name, options)));
    }
  }
  return findings;
}

async function sampleTable(engine: SqlEngine, profile: Profile, policy: Policy, layer: GovernedLayer, table: string, options: ExecuteOptions): Promise<PiiFinding[]> {
  const from = tableSql(profile, layer, table);
  const { columns } = await queryRows(engine, `SELECT * FROM ${from} LIMIT 0`, options);
  const strings = columns.filter((c) => c.type === 'string' && !c.name.startsWith('_')).map((c) => c.name);
  if (strings.length === 0) return [];
  const measures = strings.flatMap((name) => {
    const c = quoteIdentifier(name);
    return [`count(${c})`, ...KINDS.map((kind) => `count_if(${LOOKS_LIKE[kind](c)})`)];
  });
  const { rows } = await queryRows(engine, `SELECT ${measures.join(', ')} FROM (SELECT ${strings.map(quoteIdentifier).join(', ')} FROM ${from} LIMIT ${SAMPLE_ROWS})`, options);
  const counts = (rows[0] ?? []).map((v) => Number(v ?? 0));
  const findings: PiiFinding[] = [];
  strings.forEach((name, i) => {
    const base = i * (KINDS.length + 1);
    const sampled = counts[base] ?? 0;
    KINDS.forEach((kind, k) => {
      const matched = counts[base + 1 + k] ?? 0;
      if (sampled === 0 || matched / sampled < SHARE) return;
      const mask = policy.masks.find((m) => m.layer === layer && m.table === table && m.column === name.toLowerCase());
      findings.push({ table: `${layer}.${table}`, column: name, kind, matched, sampled, mask: mask?.rule });
    });
  });
  return findings;
}

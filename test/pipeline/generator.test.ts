import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateBatch, generateBatches, readManifest } from '../../src/pipelines/generator/generate.js';
import type { BatchManifest } from '../../src/pipelines/generator/manifest.js';
import { landNextBatches } from '../../src/pipelines/landed.js';

const options = (landingDir: string) => ({ landingDir, seed: 'test-seed', scale: 0.02, landing: 'test' });

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'lhctl-gen-'));
}

/** Classifies each data line the way silver will, independently of the generator's bookkeeping. */
function classifySales(lines: string[]): Record<string, number> {
  const counts: Record<string, number> = { duplicate: 0, malformed: 0, null_key: 0, negative_quantity: 0, unknown_store: 0 };
  const seen = new Set<string>();
  for (const line of lines) {
    if (seen.has(line)) {
      counts['duplicate']!++;
      continue;
    }
    seen.add(line);
    let event: { transaction_id: string | null; store_id: string; items: { quantity: number }[] };
    try {
      event = JSON.parse(line);
    } catch {
      counts['malformed']!++;
      continue;
    }
    if (event.transaction_id === null) counts['null_key']!++;
    else if (event.items.some((i) => i.quantity < 0)) counts['negative_quantity']!++;
    else if (event.store_id === 'S999') counts['unknown_store']!++;
  }
  return counts;
}

describe('data generator', () => {
  it('writes identical files for the same seed, whether batches are generated together or one by one', async () => {
    const together = tmp();
    const oneByOne = tmp();
    await generateBatches(options(together), 1, 3);
    await generateBatch(options(oneByOne), 1);
    await generateBatch(options(oneByOne), 2);
    await generateBatch(options(oneByOne), 3);
    const a = files(together);
    const b = files(oneByOne);
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [path, text] of a) expect(b.get(path), path).toBe(text);
    const other = tmp();
    await generateBatch({ ...options(other), seed: 'another' }, 1);
    expect(files(other).get('sales_transactions/batch=1/sales_transactions_0001_test.json')).not.toBe(a.get('sales_transactions/batch=1/sales_transactions_0001_test.json'));
  });

  it('records in the manifest exactly the defects the files carry', async () => {
    const dir = tmp();
    const manifests = await generateBatches(options(dir), 1, 3);
    for (const m of manifests) {
      const sales = m.sources.sales_transactions;
      const lines = readFileSync(join(dir, sales.file), 'utf8').trimEnd().split('\n');
      expect(lines.length).toBe(sales.lines);
      const found = classifySales(lines);
      for (const reason of ['duplicate', 'malformed', 'null_key', 'negative_quantity', 'unknown_store'] as const) {
        expect(found[reason], `batch ${m.batch} ${reason}`).toBe(sales.injected[reason]);
      }
      expect(sales.injected.late_event).toBeGreaterThan(0);
      const customers = readFileSync(join(dir, m.sources.customers.file), 'utf8').trimEnd().split('\n');
      expect(customers.length - 1).toBe(m.sources.customers.lines);
      expect(customers.slice(1).filter((l) => l.startsWith(',')).length).toBe(m.sources.customers.injected.null_key);
      expect(customers.slice(1).filter((l) => l.includes(',not-a-date')).length).toBe(m.sources.customers.injected.malformed);
      expect(readManifest(dir, m.batch)).toEqual(m);
    }
  });

  it('adds the optional drift columns from batch 3 and changes master data between batches', async () => {
    const dir = tmp();
    const [b1, b2, b3] = (await generateBatches(options(dir), 1, 3)) as [BatchManifest, BatchManifest, BatchManifest];
    const header = (m: BatchManifest): string => readFileSync(join(dir, m.sources.customers.file), 'utf8').split('\n')[0]!;
    expect(header(b2)).not.toContain('loyalty_tier');
    expect(header(b3).endsWith(',loyalty_tier')).toBe(true);
    expect(b3.sources.customers.addedColumns).toEqual(['loyalty_tier']);
    expect(b3.sources.sales_transactions.addedColumns).toEqual(['payment_method']);
    expect(b1.changes.customers).toMatchObject({ changed: 0, resentUnchanged: 0 });
    expect(b2.changes.customers.changed).toBeGreaterThan(0);
    expect(b2.changes.customers.resentUnchanged).toBeGreaterThan(0);
    expect(b2.changes.customers.added).toBeGreaterThan(0);
    expect(b2.changes.products.changed).toBeGreaterThan(0);
    expect(b1.sales.lateArrivingCustomerRefs).toBeGreaterThan(0);
  });

  it('lands the next batches after those already landed, refusing a different seed', async () => {
    const dir = tmp();
    const [first] = await landNextBatches({ landingDir: dir, batches: 1, seed: 's', scale: 0.01 });
    const [second] = await landNextBatches({ landingDir: dir, batches: 1 });
    expect(second!.batch).toBe(2);
    expect(second!.scale).toBe(0.01);
    expect(second!.landing).toBe(first!.landing);
    await expect(landNextBatches({ landingDir: dir, batches: 1, seed: 'other' })).rejects.toThrow(/seed s/);
    const [fresh] = await landNextBatches({ landingDir: dir, batches: 1, seed: 'other', reset: true });
    expect(fresh!.batch).toBe(1);
  });

  it('names the files of a reset landing anew, even with the same seed, so bronze never takes them for files it has', async () => {
    const dir = tmp();
    const [before] = await landNextBatches({ landingDir: dir, batches: 1, seed: 's', scale: 0.01 });
    const content = readFileSync(join(dir, before!.sources.customers.file), 'utf8');
    const [after] = await landNextBatches({ landingDir: dir, batches: 1, seed: 's', scale: 0.01, reset: true });
    for (const [source, file] of Object.entries(after!.sources)) {
      expect(file.file).not.toBe(before!.sources[source as keyof BatchManifest['sources']].file);
      expect(file.file).toMatch(new RegExp(`^${source}/batch=1/${source}_0001_${after!.landing}\\.(csv|json)$`));
    }
    expect(readFileSync(join(dir, after!.sources.customers.file), 'utf8')).toBe(content);
  });

  it('lands about 100k POS sales lines per batch at scale 1, fast', async () => {
    const dir = tmp();
    const started = Date.now();
    const m = await generateBatch({ landingDir: dir, seed: 'x', scale: 1, landing: 'test' }, 1);
    expect(m.sales.lines).toBeGreaterThanOrEqual(100_000);
    expect(m.sales.lines).toBeLessThan(100_010);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

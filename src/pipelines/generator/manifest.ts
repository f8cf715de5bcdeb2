import type { SourceName } from '../jobs.js';

/** Defects the generator injects. Silver quarantines the first four; it drops duplicates; late events are kept. */
export type DefectReason = 'malformed' | 'null_key' | 'negative_quantity' | 'unknown_store' | 'duplicate' | 'late_event';

/** The reasons silver writes to quarantine, in the order it tests them (a row gets the first that applies). */
export const QUARANTINE_REASONS = ['malformed', 'null_key', 'negative_quantity', 'unknown_store'] as const;
export type QuarantineReason = (typeof QUARANTINE_REASONS)[number];

export interface SourceManifest {
  /** Path relative to the landing root. */
  file: string;
  format: 'csv' | 'jsonl';
  /** Data lines in the file (CSV header excluded), dirty ones included. */
  lines: number;
  /** Lines written clean, before any defect was added. */
  cleanLines: number;
  /** Exactly how many lines carry each defect; a line carries at most one. */
  injected: Partial<Record<DefectReason, number>>;
  /** Optional columns that first appear in this batch (schema drift). */
  addedColumns: string[];
}

/** How master data moved in a batch; the SCD2 tests check gold against these. */
export interface DimensionChanges {
  /** Business keys seen for the first time. */
  added: number;
  /** Keys re-sent with at least one changed attribute. */
  changed: number;
  /** Keys re-sent with a new change time but identical attributes (must not create a version). */
  resentUnchanged: number;
}

export interface BatchManifest {
  batch: number;
  seed: string;
  scale: number;
  /**
   * The landing this batch belongs to, new at every reset and part of every file name, so a reset landing
   * never reuses a path bronze already ingested. Absent in landing zones written before it was.
   */
  landing?: string;
  /** The business day the batch covers (UTC, yyyy-mm-dd). */
  businessDate: string;
  sources: Record<SourceName, SourceManifest>;
  changes: { customers: DimensionChanges; products: DimensionChanges; stores: DimensionChanges };
  sales: {
    /** Clean POS transactions and their lines (duplicates excluded). */
    transactions: number;
    lines: number;
    /** Transactions naming a customer that only lands in the next batch. */
    lateArrivingCustomerRefs: number;
  };
}

/** Counts defects as a source writes them, so the manifest is exact by construction. */
export class DefectLedger {
  readonly counts: Partial<Record<DefectReason, number>> = {};

  add(reason: DefectReason, count = 1): void {
    this.counts[reason] = (this.counts[reason] ?? 0) + count;
  }
}

/** How many rows get a defect: about `rate` of the clean rows, never zero, so every batch is dirty. */
export function defectCount(cleanRows: number, rate: number): number {
  return Math.max(1, Math.round(cleanRows * rate));
}

import { DefectLedger, defectCount, type DefectReason } from './manifest.js';
import type { Random } from './random.js';
import type { LineWriter } from './writer.js';

/** Share of clean rows that get each defect (at least one per batch and source). */
export const DEFECT_RATES: Record<DefectReason, number> = {
  duplicate: 0.01,
  null_key: 0.005,
  malformed: 0.005,
  negative_quantity: 0.005,
  unknown_store: 0.005,
  late_event: 0.02,
};

/** Store id that never exists in the store master. */
export const UNKNOWN_STORE_ID = 'S999';

/** Makes the dirty line for a defect, from the clean record it sits next to. */
export type DefectMaker<T> = (reason: DefectReason, record: T, cleanLine: string, ordinal: number) => string;

/**
 * Places each defect after a randomly drawn clean row and writes it there, counting as it goes.
 * Late events are not extra lines: the source marks clean rows late itself.
 */
export class DefectPlan<T> {
  private readonly after = new Map<number, DefectReason[]>();
  readonly ledger = new DefectLedger();
  private ordinal = 0;

  constructor(rng: Random, cleanRows: number, reasons: readonly DefectReason[]) {
    for (const reason of reasons) {
      if (reason === 'late_event') continue;
      for (let k = defectCount(cleanRows, DEFECT_RATES[reason]); k > 0; k--) {
        const at = rng.int(0, cleanRows - 1);
        this.after.set(at, [...(this.after.get(at) ?? []), reason]);
      }
    }
  }

  /** Writes the clean line of row `index`, then the defects placed after it. */
  async write(writer: LineWriter, index: number, record: T, cleanLine: string, makeDefect: DefectMaker<T>): Promise<void> {
    await writer.write(cleanLine);
    for (const reason of this.after.get(index) ?? []) {
      await writer.write(makeDefect(reason, record, cleanLine, this.ordinal++));
      this.ledger.add(reason);
    }
  }
}

/** A JSON line cut short, so no parser accepts it. */
export function truncatedJson(line: string): string {
  return line.slice(0, Math.max(8, Math.floor(line.length * 0.6)));
}

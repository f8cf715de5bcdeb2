import type { TableData } from '../../commands/command.js';
import type { Column, Row } from '../../core/types.js';

/** Past this many rows the console stops fetching (the source is closed, which cancels the query). */
export const MAX_BUFFERED_ROWS = 1_000_000;
const NOTIFY_EVERY_MS = 100;

/**
 * A table result as it streams in: rows are appended batch by batch and listeners are told at
 * most every 100 ms, so the first rows show at once and a 100k-row result never floods the renderer.
 */
export class ResultBuffer {
  readonly columns: Column[];
  readonly title: string | undefined;
  readonly rows: Row[] = [];
  done = false;
  truncated = false;
  error: unknown = undefined;
  /** Bumped on every notification, for React to notice. */
  version = 0;
  private readonly listeners = new Set<() => void>();
  private lastNotify = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly data: TableData) {
    this.columns = data.columns;
    this.title = data.title;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(now = false): void {
    const elapsed = Date.now() - this.lastNotify;
    if (now || elapsed >= NOTIFY_EVERY_MS) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.lastNotify = Date.now();
      this.version++;
      for (const l of this.listeners) l();
    } else if (!this.timer) {
      this.timer = setTimeout(() => this.notify(true), NOTIFY_EVERY_MS - elapsed);
    }
  }

  /** Reads the rows to the end, or until `signal` aborts; failures are kept in `error` and rethrown. */
  async fill(signal: AbortSignal): Promise<void> {
    const source = this.data.rows;
    try {
      if (Array.isArray(source)) {
        for (const row of source) this.rows.push(row);
      } else {
        for await (const batch of source) {
          for (const row of batch) this.rows.push(row);
          const first = this.version === 0;
          this.notify(first);
          if (signal.aborted) break;
          if (this.rows.length >= MAX_BUFFERED_ROWS) {
            this.truncated = true;
            break;
          }
        }
      }
    } catch (error) {
      this.error = error;
      throw error;
    } finally {
      this.done = true;
      this.notify(true);
    }
  }
}

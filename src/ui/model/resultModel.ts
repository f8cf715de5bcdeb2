import type { CommandData, MessageData, RecordData } from '../../commands/command.js';
import type { ActionRecord } from '../../session/session.js';
import { ResultBuffer } from './resultBuffer.js';

export type ResultPart = { kind: 'table'; buffer: ResultBuffer } | RecordData | MessageData;

/**
 * Everything one action returned, in order, as it arrives: tables stream into buffers, records
 * and messages are kept as they are. Views render it; nothing here knows about Ink.
 */
export class ResultModel {
  readonly parts: ResultPart[] = [];
  /** The action's progress lines, in order (a run's task events). */
  readonly progress: string[] = [];
  record: ActionRecord | undefined;
  done = false;
  error: unknown = undefined;
  version = 0;
  private readonly listeners = new Set<() => void>();

  constructor(readonly label: string) {}

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(): void {
    this.version++;
    for (const l of this.listeners) l();
  }

  /** The table views show by default: the last one that arrived. */
  get lastTable(): ResultBuffer | undefined {
    for (let i = this.parts.length - 1; i >= 0; i--) {
      const part = this.parts[i]!;
      if (part.kind === 'table') return part.buffer;
    }
    return undefined;
  }

  get tables(): ResultBuffer[] {
    return this.parts.flatMap((p) => (p.kind === 'table' ? [p.buffer] : []));
  }

  /** The session's consumer for this model: streams the command's data in, part by part. */
  consumer(signal: AbortSignal): (data: CommandData) => Promise<ResultModel> {
    const visit = async (data: CommandData): Promise<void> => {
      if (data.kind === 'multi') {
        for await (const part of data.results) {
          await visit(part);
          if (signal.aborted) break;
        }
        return;
      }
      if (data.kind === 'table') {
        const buffer = new ResultBuffer(data);
        this.parts.push({ kind: 'table', buffer });
        this.notify();
        await buffer.fill(signal);
        return;
      }
      this.parts.push(data);
      this.notify();
    };
    return async (data) => {
      try {
        await visit(data);
      } catch (error) {
        this.error = error;
        throw error;
      } finally {
        this.done = true;
        this.notify();
      }
      return this;
    };
  }
}

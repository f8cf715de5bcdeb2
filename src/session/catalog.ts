import type { CommandData, CommandUi } from '../commands/command.js';
import type { Row } from '../core/types.js';
import type { Layer } from '../profiles/profile.js';
import type { CatalogNames } from './completion.js';
import type { ConsoleSession } from './session.js';

/** Collects every row of a command's (possibly streaming, possibly multi) result. */
export async function collectRows(data: CommandData): Promise<{ columns: string[]; rows: Row[] }> {
  const out = { columns: [] as string[], rows: [] as Row[] };
  const visit = async (d: CommandData): Promise<void> => {
    if (d.kind === 'multi') {
      for await (const part of d.results) await visit(part);
    } else if (d.kind === 'table') {
      out.columns = d.columns.map((c) => c.name);
      if (Array.isArray(d.rows)) out.rows.push(...d.rows);
      else for await (const batch of d.rows) out.rows.push(...batch);
    } else if (d.kind === 'record') {
      out.columns = Object.keys(d.data);
      out.rows.push(Object.values(d.data));
    }
  };
  await visit(data);
  return out;
}

const QUIET: CommandUi = {
  progress: () => undefined,
  warn: () => undefined,
  confirm: async () => false,
};

/**
 * Table and column names of the current env, loaded lazily through the `sql` command (so even
 * catalog look-ups show up in the transcript) and cached per env for navigation and completion.
 */
export class SessionCatalog implements CatalogNames {
  private readonly bySchema = new Map<string, string[]>();
  private readonly columnsByTable = new Map<string, string[]>();
  private readonly pending = new Map<string, Promise<string[]>>();

  constructor(
    private readonly session: ConsoleSession,
    private readonly ui: CommandUi = QUIET,
  ) {}

  private key(name: string): string {
    return `${this.session.state.env}:${name}`;
  }

  get tables(): string[] {
    const env = `${this.session.state.env}:`;
    return [...this.bySchema.entries()].filter(([k]) => k.startsWith(env)).flatMap(([k, tables]) => tables.map((t) => `${k.slice(env.length)}.${t}`));
  }

  get columns(): Map<string, string[]> {
    const env = `${this.session.state.env}:`;
    return new Map([...this.columnsByTable.entries()].filter(([k]) => k.startsWith(env)).map(([k, v]) => [k.slice(env.length), v]));
  }

  schemaOf(layer: Layer): string {
    return this.session.state.profile.schemas[layer];
  }

  loadedTables(layer: Layer): string[] | undefined {
    return this.bySchema.get(this.key(this.schemaOf(layer)));
  }

  /** Tables of a schema some command listed (the navigator's `tables`), for completion. */
  remember(schema: string, tables: string[]): void {
    this.bySchema.set(this.key(schema), [...tables].sort());
  }

  /** Loads every layer's tables in the background, for completion. */
  async preload(): Promise<void> {
    await Promise.all((['bronze', 'silver', 'gold'] as const).map((layer) => this.loadTables(layer, { background: true })));
  }

  /** The tables of a layer; a missing schema is an empty layer, not an error. */
  async loadTables(layer: Layer, options: { signal?: AbortSignal; background?: boolean } = {}): Promise<string[]> {
    const schema = this.schemaOf(layer);
    const key = this.key(schema);
    const cached = this.bySchema.get(key);
    if (cached) return cached;
    let loading = this.pending.get(key);
    if (!loading) {
      loading = this.session
        .runSql(`SHOW TABLES IN ${schema}`, { ui: this.ui, signal: options.signal ?? new AbortController().signal, background: options.background ?? false }, collectRows)
        .then(({ result }) =>
          result.rows
            .filter((r) => r[2] !== true)
            .map((r) => String(r[1]))
            .sort(),
        )
        .catch(() => [] as string[])
        .then((tables) => {
          this.bySchema.set(key, tables);
          this.pending.delete(key);
          return tables;
        });
      this.pending.set(key, loading);
    }
    return loading;
  }

  /** Column names of `schema.table`, for completion. */
  async loadColumns(table: string, background = true): Promise<string[]> {
    const key = this.key(table);
    const cached = this.columnsByTable.get(key);
    if (cached) return cached;
    const { result } = await this.session.runSql(`DESCRIBE TABLE ${table}`, { ui: this.ui, signal: new AbortController().signal, background }, collectRows);
    const names: string[] = [];
    for (const row of result.rows) {
      const name = String(row[0] ?? '');
      if (!name || name.startsWith('#')) break;
      names.push(name);
    }
    this.columnsByTable.set(key, names);
    return names;
  }
}

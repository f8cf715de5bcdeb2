/**
 * What an engine kind can do. Known from the profile's engine kind alone, so a front-end can gate
 * an action (or leave it out of a menu) without opening a connection; the engine objects expose
 * the same flags. Callers check them before offering an action; engines never stub a feature.
 */
export interface Capabilities {
  /** Three-level names with real catalogs (CREATE CATALOG). */
  unityCatalog: boolean;
  /** Delta Sharing shares and recipients: Unity Catalog's, or on the local env lhctl's own sharing server. */
  shares: boolean;
  /** GRANT / REVOKE. */
  grants: boolean;
  /** Row filters and column masks. */
  rowFilters: boolean;
  /** COPY INTO and read_files(). */
  copyInto: boolean;
  /** A remote Jobs service (deploy / run-now / the workspace's run list). */
  jobs: boolean;
  /** lhctl installs, starts and stops the engine on this machine (`lhctl engine start|stop`). */
  localRuntime: boolean;
  /** lhctl runs the job graph itself against the engine (run records, `--only`, `--from`, `--full-refresh`) rather than a remote Jobs service. */
  taskRunner: boolean;
  /** Delta Lake SQL: history, time travel, RESTORE, OPTIMIZE, VACUUM, table_changes(). A connected cluster may lack it. */
  delta: boolean;
  /** Structured Streaming queries driven from lhctl (the sales stream from Kafka). */
  streaming: boolean;
}

export type Capability = keyof Capabilities;
export type EngineKind = 'local' | 'databricks' | 'spark-connect';

export const NO_CAPABILITIES: Capabilities = {
  unityCatalog: false,
  shares: false,
  grants: false,
  rowFilters: false,
  copyInto: false,
  jobs: false,
  localRuntime: false,
  taskRunner: false,
  delta: false,
  streaming: false,
};

const BY_KIND: Record<EngineKind, Capabilities> = {
  local: { ...NO_CAPABILITIES, shares: true, localRuntime: true, taskRunner: true, delta: true, streaming: true },
  databricks: { unityCatalog: true, shares: true, grants: true, rowFilters: true, copyInto: true, jobs: true, localRuntime: false, taskRunner: false, delta: true, streaming: false },
  // A cluster lhctl reaches over Spark Connect: Delta is assumed until the engine, once connected, finds it missing.
  'spark-connect': { ...NO_CAPABILITIES, taskRunner: true, delta: true },
};

export function capabilitiesOf(kind: EngineKind): Capabilities {
  return BY_KIND[kind];
}

/** What a missing capability is called in a refusal: "lhctl deploy needs a remote Jobs service". */
export const CAPABILITY_NAMES: Record<Capability, string> = {
  unityCatalog: 'Unity Catalog',
  shares: 'Delta Sharing',
  grants: 'GRANT / REVOKE',
  rowFilters: 'row filters and column masks',
  copyInto: 'COPY INTO and read_files()',
  jobs: 'a remote Jobs service',
  localRuntime: 'the local engine on this machine',
  taskRunner: "lhctl's own task runner",
  delta: 'Delta Lake',
  streaming: 'streaming queries driven from lhctl',
};

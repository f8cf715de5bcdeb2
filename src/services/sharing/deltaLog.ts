import { readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { SharingRequestError } from './errors.js';

/** The Delta log actions the sharing server reads (the protocol's field names, as the log writes them). */
export interface DeletionVector {
  storageType: string;
  pathOrInlineDv: string;
  offset?: number;
  sizeInBytes: number;
  cardinality: number;
}

export interface AddAction {
  path: string;
  partitionValues: Record<string, string | null>;
  size: number;
  modificationTime: number;
  dataChange: boolean;
  stats?: string;
  deletionVector?: DeletionVector | null;
  [key: string]: unknown;
}

export interface RemoveAction {
  path: string;
  partitionValues?: Record<string, string | null>;
  size?: number;
  deletionTimestamp?: number;
  dataChange: boolean;
  deletionVector?: DeletionVector | null;
  [key: string]: unknown;
}

export interface CdcAction {
  path: string;
  partitionValues: Record<string, string | null>;
  size: number;
  dataChange?: boolean;
}

export interface ProtocolAction {
  minReaderVersion: number;
  minWriterVersion: number;
  readerFeatures?: string[];
  writerFeatures?: string[];
}

export interface MetadataAction {
  id: string;
  name?: string | null;
  description?: string | null;
  format: { provider: string; options?: Record<string, string> };
  schemaString: string;
  partitionColumns: string[];
  configuration?: Record<string, string>;
  createdTime?: number;
}

export interface Commit {
  version: number;
  timestamp: number;
  adds: AddAction[];
  removes: RemoveAction[];
  cdcs: CdcAction[];
  metaData: MetadataAction | undefined;
  protocol: ProtocolAction | undefined;
}

export interface Snapshot {
  version: number;
  timestamp: number;
  protocol: ProtocolAction;
  metaData: MetadataAction;
  /** Live files by path. */
  files: Map<string, AddAction>;
}

interface LogListing {
  commits: number[];
  /** Single-file classic checkpoints; multi-part ones list every part. */
  checkpoints: Map<number, string[]>;
}

const COMMIT = /^(\d{20})\.json$/;
const CHECKPOINT = /^(\d{20})\.checkpoint(?:\.(\d{10})\.(\d{10}))?\.parquet$/;

function logDir(location: string): string {
  return join(location, '_delta_log');
}

function listLog(location: string): LogListing {
  let names: string[];
  try {
    names = readdirSync(logDir(location));
  } catch {
    throw new SharingRequestError(404, 'RESOURCE_DOES_NOT_EXIST', 'the shared table has no Delta log any more (was it dropped?)');
  }
  const commits: number[] = [];
  const parts = new Map<number, { total: number; files: string[] }>();
  for (const name of names) {
    const commit = COMMIT.exec(name);
    if (commit) commits.push(Number(commit[1]));
    const checkpoint = CHECKPOINT.exec(name);
    if (checkpoint) {
      const version = Number(checkpoint[1]);
      const entry = parts.get(version) ?? { total: checkpoint[3] ? Number(checkpoint[3]) : 1, files: [] };
      entry.files.push(name);
      parts.set(version, entry);
    }
  }
  commits.sort((a, b) => a - b);
  const checkpoints = new Map<number, string[]>();
  for (const [version, entry] of parts) if (entry.files.length === entry.total) checkpoints.set(version, entry.files.sort());
  return { commits, checkpoints };
}

export function latestVersion(location: string): number {
  const { commits, checkpoints } = listLog(location);
  const last = Math.max(commits.at(-1) ?? -1, ...checkpoints.keys());
  if (last < 0) throw new SharingRequestError(404, 'RESOURCE_DOES_NOT_EXIST', 'the shared table has no commits');
  return last;
}

const commitCache = new Map<string, Commit>();

/** One commit's actions; commits never change once written, so they are cached by path. */
export async function readCommit(location: string, version: number): Promise<Commit> {
  const file = join(logDir(location), `${String(version).padStart(20, '0')}.json`);
  const cached = commitCache.get(file);
  if (cached) return cached;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new SharingRequestError(400, 'INVALID_PARAMETER_VALUE', `version ${version} of the table is no longer in its log (cleaned up); ask for a later version`);
  }
  const commit: Commit = { version, timestamp: 0, adds: [], removes: [], cdcs: [], metaData: undefined, protocol: undefined };
  let commitTimestamp: number | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const action = JSON.parse(line) as Record<string, unknown>;
    if (action['add']) commit.adds.push(action['add'] as AddAction);
    else if (action['remove']) commit.removes.push(action['remove'] as RemoveAction);
    else if (action['cdc']) commit.cdcs.push(action['cdc'] as CdcAction);
    else if (action['metaData']) commit.metaData = action['metaData'] as MetadataAction;
    else if (action['protocol']) commit.protocol = action['protocol'] as ProtocolAction;
    else if (action['commitInfo']) {
      const info = action['commitInfo'] as { inCommitTimestamp?: number; timestamp?: number };
      commitTimestamp = info.inCommitTimestamp ?? info.timestamp;
    }
  }
  commit.timestamp = commitTimestamp ?? statSync(file).mtimeMs;
  if (commitCache.size > 50_000) commitCache.clear();
  commitCache.set(file, commit);
  return commit;
}

/** Parquet maps come back as key/value lists or objects depending on the writer; the protocol wants objects. */
function asRecord(value: unknown): Record<string, string | null> {
  if (Array.isArray(value)) return Object.fromEntries(value.map((entry: { key: string; value: string | null }) => [entry.key, entry.value]));
  return (value ?? {}) as Record<string, string | null>;
}

function fromParquet<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))) as T;
}

async function readCheckpoint(location: string, files: string[], into: Omit<Snapshot, 'version' | 'timestamp'> & { protocol?: ProtocolAction; metaData?: MetadataAction }): Promise<void> {
  for (const name of files) {
    const buffer = await readFile(join(logDir(location), name));
    const file = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
    const rows = (await parquetReadObjects({ file, columns: ['add', 'metaData', 'protocol'] })) as Array<Record<string, unknown>>;
    for (const row of rows) {
      if (row['add']) {
        const add = fromParquet<AddAction>(row['add']);
        add.partitionValues = asRecord(add.partitionValues);
        into.files.set(add.path, add);
      } else if (row['metaData']) {
        const metaData = fromParquet<MetadataAction>(row['metaData']);
        metaData.configuration = asRecord(metaData.configuration) as Record<string, string>;
        metaData.format = { provider: metaData.format?.provider ?? 'parquet', options: asRecord(metaData.format?.options) as Record<string, string> };
        into.metaData = metaData;
      } else if (row['protocol']) into.protocol = fromParquet<ProtocolAction>(row['protocol']);
    }
  }
}

function applyCommit(state: { files: Map<string, AddAction>; protocol?: ProtocolAction; metaData?: MetadataAction }, commit: Commit): void {
  for (const remove of commit.removes) state.files.delete(remove.path);
  for (const add of commit.adds) state.files.set(add.path, add);
  if (commit.metaData) state.metaData = commit.metaData;
  if (commit.protocol) state.protocol = commit.protocol;
}

/** The newest snapshot computed per table: the next request at the same or a later version starts from it. */
const latestSnapshots = new Map<string, Snapshot>();

/** The table's live files, protocol and metadata at `version` (the newest when undefined): checkpoint, then the commits after it. */
export async function readSnapshot(location: string, version?: number): Promise<Snapshot> {
  const listing = listLog(location);
  const newest = Math.max(listing.commits.at(-1) ?? -1, ...listing.checkpoints.keys());
  const target = version ?? newest;
  if (target > newest || target < 0) throw new SharingRequestError(400, 'INVALID_PARAMETER_VALUE', `the table has versions up to ${newest}; version ${target} does not exist`);
  const cached = latestSnapshots.get(location);
  let state: { files: Map<string, AddAction>; protocol?: ProtocolAction; metaData?: MetadataAction };
  let from: number;
  if (cached && cached.version <= target) {
    if (cached.version === target) return cached;
    state = { files: new Map(cached.files), protocol: cached.protocol, metaData: cached.metaData };
    from = cached.version + 1;
  } else {
    const checkpoint = [...listing.checkpoints.keys()].filter((v) => v <= target).sort((a, b) => b - a)[0];
    state = { files: new Map() };
    if (checkpoint !== undefined) await readCheckpoint(location, listing.checkpoints.get(checkpoint)!, state as Snapshot);
    from = checkpoint === undefined ? 0 : checkpoint + 1;
  }
  let timestamp = 0;
  for (let v = from; v <= target; v++) {
    const commit = await readCommit(location, v);
    applyCommit(state, commit);
    timestamp = commit.timestamp;
  }
  if (!state.protocol || !state.metaData) throw new SharingRequestError(500, 'INTERNAL_ERROR', 'the table log has no protocol or metadata');
  if (from > target) timestamp = (await readCommit(location, target).catch(() => undefined))?.timestamp ?? 0;
  const snapshot: Snapshot = { version: target, timestamp, protocol: state.protocol, metaData: state.metaData, files: state.files };
  if (version === undefined || target === newest) latestSnapshots.set(location, snapshot);
  return snapshot;
}

/** The newest version committed at or before `timestamp` (ISO text), as Delta's TIMESTAMP AS OF reads it. */
export async function versionAt(location: string, timestamp: string): Promise<number> {
  const wanted = Date.parse(timestamp);
  if (Number.isNaN(wanted)) throw new SharingRequestError(400, 'INVALID_PARAMETER_VALUE', `cannot read the timestamp "${timestamp}"; use ISO 8601, e.g. 2026-12-03T10:00:00Z`);
  const { commits } = listLog(location);
  let found: number | undefined;
  for (const version of commits) {
    const commit = await readCommit(location, version);
    if (commit.timestamp <= wanted) found = version;
    else break;
  }
  if (found === undefined) throw new SharingRequestError(400, 'INVALID_PARAMETER_VALUE', `the table has no version at or before ${timestamp}`);
  return found;
}

/** The first version committed at or after `timestamp`: where changes from a starting time begin. */
export async function versionFrom(location: string, timestamp: string): Promise<number> {
  const wanted = Date.parse(timestamp);
  if (Number.isNaN(wanted)) throw new SharingRequestError(400, 'INVALID_PARAMETER_VALUE', `cannot read the timestamp "${timestamp}"; use ISO 8601, e.g. 2026-12-03T10:00:00Z`);
  for (const version of listLog(location).commits) {
    if ((await readCommit(location, version)).timestamp >= wanted) return version;
  }
  throw new SharingRequestError(400, 'INVALID_PARAMETER_VALUE', `the table has no version at or after ${timestamp}`);
}

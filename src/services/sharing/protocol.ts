import { basename } from 'node:path';
import { grantedShares, type RecipientEntry, type SharedTableEntry, type ShareEntry, type SharingCatalog } from './catalog.js';
import { type AddAction, type Commit, latestVersion, readCommit, readSnapshot, type Snapshot, versionAt, versionFrom } from './deltaLog.js';
import { SharingRequestError } from './errors.js';
import { applyLimitHint, skipByHints } from './predicates.js';
import { FILE_URL_LIFETIME_MS, signFileUrl } from './signedUrls.js';

/** What one protocol request needs: the catalog as of now, the caller, how to sign file URLs. */
export interface RequestContext {
  catalog: SharingCatalog;
  recipient: RecipientEntry;
  /** http://127.0.0.1:<port>, where file URLs point. */
  base: string;
  key: Buffer;
  /** The client's `delta-sharing-capabilities` header. */
  capabilities: string | undefined;
}

/** What the server answers: JSON or ndjson lines, headers, and what the audit log records. */
export interface ProtocolResponse {
  headers: Record<string, string>;
  /** One JSON document (listings) or lines (table responses). */
  body: object | object[];
  audit: { object: string; version?: number; files?: number };
}

const DEFAULT_PAGE = 500;

function page<T>(items: T[], query: URLSearchParams): { items: T[]; nextPageToken?: string } {
  const max = query.has('maxResults') ? Number(query.get('maxResults')) : DEFAULT_PAGE;
  if (!Number.isInteger(max) || max < 0 || max > 1000) throw new SharingRequestError(400, 'INVALID_PARAMETER_VALUE', 'maxResults must be a whole number from 0 to 1000');
  const token = query.get('pageToken');
  const start = token ? Number(Buffer.from(token, 'base64url').toString('utf8')) : 0;
  if (!Number.isInteger(start) || start < 0) throw new SharingRequestError(400, 'INVALID_PARAMETER_VALUE', 'pageToken is not one this server gave');
  const slice = items.slice(start, start + max);
  const next = start + max;
  return next < items.length ? { items: slice, nextPageToken: Buffer.from(String(next)).toString('base64url') } : { items: slice };
}

/** Unknown and ungranted shares get the same answer, so a recipient learns nothing about shares it cannot read. */
function shareOf(ctx: RequestContext, name: string): ShareEntry {
  const share = grantedShares(ctx.catalog, ctx.recipient.name).find((s) => s.name === name);
  if (!share) throw new SharingRequestError(404, 'RESOURCE_DOES_NOT_EXIST', 'no such share is shared with you');
  return share;
}

function schemaOf(table: SharedTableEntry): string {
  return table.sharedAs.split('.')[0]!;
}

function tableNameOf(table: SharedTableEntry): string {
  return table.sharedAs.split('.')[1]!;
}

function tableOf(ctx: RequestContext, shareName: string, schema: string, name: string): { share: ShareEntry; table: SharedTableEntry } {
  const share = shareOf(ctx, shareName);
  const table = share.tables.find((t) => schemaOf(t) === schema && tableNameOf(t) === name);
  if (!table) throw new SharingRequestError(404, 'RESOURCE_DOES_NOT_EXIST', 'no such table in this share');
  return { share, table };
}

function tableItem(share: ShareEntry, table: SharedTableEntry): object {
  return { name: tableNameOf(table), schema: schemaOf(table), share: share.name, shareId: share.id, id: table.id };
}

export function listShares(ctx: RequestContext, query: URLSearchParams): ProtocolResponse {
  const shares = grantedShares(ctx.catalog, ctx.recipient.name).map((s) => ({ name: s.name, id: s.id }));
  return { headers: {}, body: page(shares, query), audit: { object: 'shares' } };
}

export function getShare(ctx: RequestContext, name: string): ProtocolResponse {
  const share = shareOf(ctx, name);
  return { headers: {}, body: { share: { name: share.name, id: share.id } }, audit: { object: share.name } };
}

export function listSchemas(ctx: RequestContext, shareName: string, query: URLSearchParams): ProtocolResponse {
  const share = shareOf(ctx, shareName);
  const schemas = [...new Set(share.tables.map(schemaOf))].sort().map((name) => ({ name, share: share.name }));
  return { headers: {}, body: page(schemas, query), audit: { object: share.name } };
}

export function listTables(ctx: RequestContext, shareName: string, schema: string | undefined, query: URLSearchParams): ProtocolResponse {
  const share = shareOf(ctx, shareName);
  const tables = share.tables.filter((t) => schema === undefined || schemaOf(t) === schema).map((t) => tableItem(share, t));
  if (schema !== undefined && tables.length === 0) throw new SharingRequestError(404, 'RESOURCE_DOES_NOT_EXIST', 'no such schema in this share');
  return { headers: {}, body: page(tables, query), audit: { object: schema === undefined ? share.name : `${share.name}.${schema}` } };
}

function objectName(share: ShareEntry, table: SharedTableEntry): string {
  return `${share.name}.${table.sharedAs}`;
}

export async function tableVersion(ctx: RequestContext, shareName: string, schema: string, name: string, query: URLSearchParams): Promise<ProtocolResponse> {
  const { share, table } = tableOf(ctx, shareName, schema, name);
  const startingTimestamp = query.get('startingTimestamp');
  if (startingTimestamp && !table.history) throw withoutHistory();
  const version = startingTimestamp ? await versionFrom(table.location, startingTimestamp) : latestVersion(table.location);
  return { headers: { 'delta-table-version': String(version) }, body: [], audit: { object: objectName(share, table), version } };
}

type ResponseFormat = 'parquet' | 'delta';

/** The formats the client accepts (`responseformat=delta,parquet`); parquet when it says nothing. */
function acceptedFormats(capabilities: string | undefined): ResponseFormat[] {
  const part = (capabilities ?? '')
    .split(';')
    .map((p) => p.trim().split('='))
    .find(([k]) => k?.trim().toLowerCase() === 'responseformat');
  if (!part?.[1]) return ['parquet'];
  return part[1]
    .split(',')
    .map((f) => f.trim().toLowerCase())
    .filter((f): f is ResponseFormat => f === 'parquet' || f === 'delta');
}

/**
 * Parquet unless the client reads only the delta format. Deletion vectors and column mapping are refused in both: the
 * parquet format cannot express them, and the official Python connector's delta-format reader (delta-kernel) reads
 * file URLs through the table's local store, not over http, so it fails on this server's URLs.
 */
function chooseFormat(ctx: RequestContext, snapshot: Snapshot, object: string): ResponseFormat {
  const columnMapping = (snapshot.metaData.configuration?.['delta.columnMapping.mode'] ?? 'none') !== 'none';
  const deletionVectors = [...snapshot.files.values()].filter((f) => f.deletionVector?.storageType).length;
  if (deletionVectors > 0 || columnMapping) {
    const why = deletionVectors > 0 ? `deletion vectors on ${deletionVectors} file(s) at version ${snapshot.version}` : 'column mapping';
    throw new SharingRequestError(
      400,
      'INVALID_PARAMETER_VALUE',
      `${object} has ${why}, which this sharing server cannot serve; ask the provider to purge them (REORG TABLE … APPLY (PURGE)) and read it again`,
    );
  }
  return preferredFormat(ctx);
}

/** Parquet, the protocol's default, unless the client reads only the delta format. */
function preferredFormat(ctx: RequestContext): ResponseFormat {
  return acceptedFormats(ctx.capabilities).includes('parquet') ? 'parquet' : 'delta';
}

function formatHeaders(format: ResponseFormat, version: number): Record<string, string> {
  return { 'delta-table-version': String(version), ...(format === 'delta' ? { 'delta-sharing-capabilities': 'responseformat=delta' } : {}) };
}

function protocolLine(format: ResponseFormat, snapshot: Snapshot): object {
  if (format === 'delta') return { protocol: { deltaProtocol: snapshot.protocol } };
  return { protocol: { minReaderVersion: 1 } };
}

function metadataLine(format: ResponseFormat, snapshot: Snapshot, table: SharedTableEntry, withVersion: boolean): object {
  const { metaData } = snapshot;
  const files = [...snapshot.files.values()];
  const size = files.reduce((sum, f) => sum + Number(f.size), 0);
  if (format === 'delta') return { metaData: { deltaMetadata: metaData, version: snapshot.version, size, numFiles: files.length } };
  return {
    metaData: {
      id: table.id,
      format: { provider: 'parquet' },
      schemaString: metaData.schemaString,
      partitionColumns: metaData.partitionColumns,
      configuration: table.history ? { enableChangeDataFeed: metaData.configuration?.['delta.enableChangeDataFeed'] ?? 'false' } : {},
      ...(withVersion ? { version: snapshot.version } : {}),
      size,
      numFiles: files.length,
    },
  };
}

function withoutHistory(): SharingRequestError {
  return new SharingRequestError(403, 'PERMISSION_DENIED', 'this table is shared without its history: only its current version can be read');
}

/** The share's partition filter: a file is shared when any partition spec holds for its partition values. */
function inSharedPartitions(table: SharedTableEntry, add: { partitionValues?: Record<string, string | null> }): boolean {
  if (table.partitions.length === 0) return true;
  const values = add.partitionValues ?? {};
  return table.partitions.some((spec) =>
    spec.every((v) => {
      const actual = values[v.name];
      if (actual === null || actual === undefined) return false;
      if (v.op === 'EQUAL') return actual === v.value;
      const pattern = new RegExp(
        `^${v.value
          .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
          .replace(/%/g, '.*')
          .replace(/_/g, '.')}$`,
        's',
      );
      return pattern.test(actual);
    }),
  );
}

function fileId(table: SharedTableEntry, path: string): string {
  return `${table.id.slice(0, 8)}-${basename(path)}`;
}

function signer(ctx: RequestContext, table: SharedTableEntry): { url: (path: string) => string; expires: number } {
  const expires = Date.now() + FILE_URL_LIFETIME_MS;
  return { url: (path) => signFileUrl(ctx.key, ctx.base, { tableId: table.id, path: decodeURIComponent(path), recipient: ctx.recipient.name, expires }), expires };
}

/** A log action as the delta format sends it: its path becomes a signed URL. */
function deltaAction(sign: (path: string) => string, action: AddAction): AddAction {
  return { ...action, path: sign(action.path) };
}

interface QueryBody {
  version?: number;
  timestamp?: string;
  startingVersion?: number;
  endingVersion?: number;
  limitHint?: number;
  jsonPredicateHints?: string;
}

export async function queryTable(ctx: RequestContext, shareName: string, schema: string, name: string, body: QueryBody): Promise<ProtocolResponse> {
  const { share, table } = tableOf(ctx, shareName, schema, name);
  const object = objectName(share, table);
  const timeTravel = body.version !== undefined || body.timestamp !== undefined || body.startingVersion !== undefined;
  if (timeTravel && !table.history) throw withoutHistory();
  if (body.startingVersion !== undefined) return addedSince(ctx, share, table, body.startingVersion, body.endingVersion);
  const version = body.timestamp !== undefined ? await versionAt(table.location, body.timestamp) : body.version;
  const snapshot = await readSnapshot(table.location, version);
  const format = chooseFormat(ctx, snapshot, object);
  const shared = [...snapshot.files.values()].filter((f) => inSharedPartitions(table, f));
  const files = applyLimitHint(skipByHints(shared, body.jsonPredicateHints), body.limitHint);
  const { url, expires } = signer(ctx, table);
  const lines: object[] = [protocolLine(format, snapshot), metadataLine(format, snapshot, table, version !== undefined)];
  for (const add of files) {
    if (format === 'delta') {
      lines.push({ file: { id: fileId(table, add.path), deltaSingleAction: { add: deltaAction(url, add) }, expirationTimestamp: expires } });
    } else {
      const { partitionValues, size, stats } = add;
      lines.push({
        file: {
          url: url(add.path),
          id: fileId(table, add.path),
          partitionValues,
          size: Number(size),
          ...(stats ? { stats } : {}),
          ...(version !== undefined ? { version: snapshot.version } : {}),
          expirationTimestamp: expires,
        },
      });
    }
  }
  return { headers: formatHeaders(format, snapshot.version), body: lines, audit: { object, version: snapshot.version, files: files.length } };
}

/** `startingVersion` on a query: the files each version added, with their version and time (parquet format). */
async function addedSince(ctx: RequestContext, share: ShareEntry, table: SharedTableEntry, from: number, to: number | undefined): Promise<ProtocolResponse> {
  const end = to ?? latestVersion(table.location);
  const snapshot = await readSnapshot(table.location, end);
  const { url, expires } = signer(ctx, table);
  const lines: object[] = [protocolLine('parquet', snapshot), metadataLine('parquet', snapshot, table, true)];
  let files = 0;
  for (let v = from; v <= end; v++) {
    const commit = await readCommit(table.location, v);
    for (const add of commit.adds.filter((a) => a.dataChange && inSharedPartitions(table, a))) {
      lines.push({
        file: {
          url: url(add.path),
          id: fileId(table, add.path),
          partitionValues: add.partitionValues,
          size: Number(add.size),
          stats: add.stats,
          version: v,
          timestamp: commit.timestamp,
          expirationTimestamp: expires,
        },
      });
      files++;
    }
  }
  return { headers: formatHeaders('parquet', end), body: lines, audit: { object: objectName(share, table), version: end, files } };
}

export async function tableMetadata(ctx: RequestContext, shareName: string, schema: string, name: string): Promise<ProtocolResponse> {
  const { share, table } = tableOf(ctx, shareName, schema, name);
  const snapshot = await readSnapshot(table.location);
  const format = preferredFormat(ctx);
  return {
    headers: formatHeaders(format, snapshot.version),
    body: [protocolLine(format, snapshot), metadataLine(format, snapshot, table, false)],
    audit: { object: objectName(share, table), version: snapshot.version },
  };
}

function commitLines(table: SharedTableEntry, commit: Commit, url: (path: string) => string, expires: number): object[] {
  const base = (path: string, partitionValues: Record<string, string | null> | undefined, size: number | undefined) => ({
    url: url(path),
    id: fileId(table, path),
    partitionValues: partitionValues ?? {},
    size: Number(size ?? 0),
    version: commit.version,
    timestamp: commit.timestamp,
    expirationTimestamp: expires,
  });
  // A commit that wrote change data describes its changes there; otherwise its added and removed files are the changes.
  if (commit.cdcs.length > 0) return commit.cdcs.filter((c) => inSharedPartitions(table, c)).map((c) => ({ cdf: base(c.path, c.partitionValues, c.size) }));
  return [
    ...commit.adds.filter((a) => a.dataChange && inSharedPartitions(table, a)).map((a) => ({ add: base(a.path, a.partitionValues, a.size) })),
    ...commit.removes.filter((r) => r.dataChange && inSharedPartitions(table, r)).map((r) => ({ remove: base(r.path, r.partitionValues, r.size) })),
  ];
}

function versionParam(query: URLSearchParams, name: string): number | undefined {
  const text = query.get(name);
  if (text === null) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new SharingRequestError(400, 'INVALID_PARAMETER_VALUE', `${name} must be a version number`);
  return value;
}

/** Change data between two versions, for tables shared with their history and written with the change data feed on. */
export async function tableChanges(ctx: RequestContext, shareName: string, schema: string, name: string, query: URLSearchParams): Promise<ProtocolResponse> {
  const { share, table } = tableOf(ctx, shareName, schema, name);
  if (!table.history) throw withoutHistory();
  const startingTimestamp = query.get('startingTimestamp');
  const endingTimestamp = query.get('endingTimestamp');
  const start = versionParam(query, 'startingVersion') ?? (startingTimestamp ? await versionFrom(table.location, startingTimestamp) : undefined);
  if (start === undefined) throw new SharingRequestError(400, 'INVALID_PARAMETER_VALUE', 'give startingVersion or startingTimestamp');
  const latest = latestVersion(table.location);
  const end = versionParam(query, 'endingVersion') ?? (endingTimestamp ? await versionAt(table.location, endingTimestamp) : latest);
  if (end > latest) throw new SharingRequestError(400, 'INVALID_PARAMETER_VALUE', `endingVersion ${end} is after the table's latest version ${latest}`);
  if (start > end) throw new SharingRequestError(400, 'INVALID_PARAMETER_VALUE', `startingVersion ${start} is after endingVersion ${end}`);
  const snapshot = await readSnapshot(table.location, end);
  if (snapshot.metaData.configuration?.['delta.enableChangeDataFeed'] !== 'true') {
    throw new SharingRequestError(400, 'INVALID_PARAMETER_VALUE', 'the change data feed is not enabled on this table');
  }
  const { url, expires } = signer(ctx, table);
  const lines: object[] = [protocolLine('parquet', snapshot), metadataLine('parquet', snapshot, table, false)];
  for (let v = start; v <= end; v++) lines.push(...commitLines(table, await readCommit(table.location, v), url, expires));
  return { headers: formatHeaders('parquet', start), body: lines, audit: { object: objectName(share, table), version: end, files: lines.length - 2 } };
}

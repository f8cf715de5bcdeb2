import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream';
import { appendAuditLine } from '../../core/auditLog.js';
import { checkToken, currentCatalog, type RecipientEntry } from './catalog.js';
import { SharingRequestError } from './errors.js';
import type { SharingLayout } from './layout.js';
import { getShare, listSchemas, listShares, listTables, type ProtocolResponse, queryTable, type RequestContext, tableChanges, tableMetadata, tableVersion } from './protocol.js';
import { signingKey, verifyFileUrl } from './signedUrls.js';

export const ENDPOINT_PATH = '/delta-sharing';

interface AuditRecord {
  recipient: string | null;
  method: string;
  object: string;
  status: number;
  version?: number;
  files?: number;
  bytes?: number;
  error?: string;
}

function audit(home: string, record: AuditRecord): void {
  appendAuditLine(home, { time: new Date().toISOString(), source: 'sharing', ...record });
}

function sendError(res: ServerResponse, error: SharingRequestError): void {
  res.writeHead(error.status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ errorCode: error.errorCode, message: error.message }));
}

function send(res: ServerResponse, response: ProtocolResponse): void {
  if (Array.isArray(response.body)) {
    res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', ...response.headers });
    res.end(response.body.map((line) => `${JSON.stringify(line)}\n`).join(''));
  } else {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...response.headers });
    res.end(JSON.stringify(response.body));
  }
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > 1_000_000) throw new SharingRequestError(400, 'INVALID_PARAMETER_VALUE', 'the request body is over 1 MB');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new SharingRequestError(400, 'MALFORMED_REQUEST', 'the request body is not JSON');
  }
}

function authenticate(layout: SharingLayout, req: IncomingMessage): { recipient: RecipientEntry } {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new SharingRequestError(401, 'UNAUTHENTICATED', 'send the bearer token of your profile file');
  const check = checkToken(currentCatalog(layout), match[1]!);
  if ('refused' in check) {
    const why = { unknown: 'the bearer token is not valid', expired: 'the bearer token has expired; ask the provider for a new profile file', revoked: 'access has been revoked' }[check.refused];
    throw new SharingRequestError(401, 'UNAUTHENTICATED', why);
  }
  return check;
}

const SEGMENT = '([^/]+)';
const ROUTES: Array<{
  method: string;
  pattern: RegExp;
  handle: (ctx: RequestContext, params: string[], query: URLSearchParams, req: IncomingMessage) => Promise<ProtocolResponse> | ProtocolResponse;
}> = [
  { method: 'GET', pattern: /^\/shares$/, handle: (ctx, _p, query) => listShares(ctx, query) },
  { method: 'GET', pattern: new RegExp(`^/shares/${SEGMENT}$`), handle: (ctx, [share]) => getShare(ctx, share!) },
  { method: 'GET', pattern: new RegExp(`^/shares/${SEGMENT}/schemas$`), handle: (ctx, [share], query) => listSchemas(ctx, share!, query) },
  { method: 'GET', pattern: new RegExp(`^/shares/${SEGMENT}/all-tables$`), handle: (ctx, [share], query) => listTables(ctx, share!, undefined, query) },
  { method: 'GET', pattern: new RegExp(`^/shares/${SEGMENT}/schemas/${SEGMENT}/tables$`), handle: (ctx, [share, schema], query) => listTables(ctx, share!, schema, query) },
  { method: 'GET', pattern: new RegExp(`^/shares/${SEGMENT}/schemas/${SEGMENT}/tables/${SEGMENT}/version$`), handle: (ctx, [s, sc, t], query) => tableVersion(ctx, s!, sc!, t!, query) },
  { method: 'GET', pattern: new RegExp(`^/shares/${SEGMENT}/schemas/${SEGMENT}/tables/${SEGMENT}/metadata$`), handle: (ctx, [s, sc, t]) => tableMetadata(ctx, s!, sc!, t!) },
  {
    method: 'POST',
    pattern: new RegExp(`^/shares/${SEGMENT}/schemas/${SEGMENT}/tables/${SEGMENT}/query$`),
    handle: async (ctx, [s, sc, t], _query, req) => queryTable(ctx, s!, sc!, t!, await readBody(req)),
  },
  { method: 'GET', pattern: new RegExp(`^/shares/${SEGMENT}/schemas/${SEGMENT}/tables/${SEGMENT}/changes$`), handle: (ctx, [s, sc, t], query) => tableChanges(ctx, s!, sc!, t!, query) },
];

async function protocolRequest(layout: SharingLayout, home: string, base: string, key: Buffer, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const path = url.pathname.slice(ENDPOINT_PATH.length) || '/';
  let recipient: string | null = null;
  try {
    const caller = authenticate(layout, req);
    recipient = caller.recipient.name;
    const route = ROUTES.find((r) => r.pattern.test(path));
    if (!route) throw new SharingRequestError(404, 'RESOURCE_DOES_NOT_EXIST', `no such endpoint: ${path}`);
    if (route.method !== req.method) throw new SharingRequestError(405, 'MALFORMED_REQUEST', `use ${route.method} for ${path}`);
    const params = route.pattern.exec(path)!.slice(1).map(decodeURIComponent);
    const capabilities = req.headers['delta-sharing-capabilities'];
    const ctx: RequestContext = {
      catalog: currentCatalog(layout),
      recipient: caller.recipient,
      base,
      key: signingKey(layout),
      capabilities: Array.isArray(capabilities) ? capabilities.join(';') : capabilities,
    };
    const response = await route.handle(ctx, params, url.searchParams, req);
    send(res, response);
    audit(home, { recipient, method: req.method ?? 'GET', object: response.audit.object, status: 200, version: response.audit.version, files: response.audit.files });
  } catch (error) {
    const failure = error instanceof SharingRequestError ? error : new SharingRequestError(500, 'INTERNAL_ERROR', 'the sharing server failed; see its log');
    if (!(error instanceof SharingRequestError)) console.error(error);
    sendError(res, failure);
    audit(home, { recipient, method: req.method ?? 'GET', object: path, status: failure.status, error: failure.message });
  }
}

/** A data file through a signed URL: HEAD answers its length, GET honours one byte range. */
function fileRequest(layout: SharingLayout, home: string, key: Buffer, req: IncomingMessage, res: ServerResponse, url: URL): void {
  const check = verifyFileUrl(key, url);
  if ('refused' in check) {
    sendError(res, new SharingRequestError(403, 'PERMISSION_DENIED', check.refused));
    audit(home, { recipient: null, method: req.method ?? 'GET', object: 'file', status: 403, error: check.refused });
    return;
  }
  const { grant } = check;
  const catalog = currentCatalog(layout);
  const table = catalog.shares.flatMap((s) => s.tables).find((t) => t.id === grant.tableId);
  const granted = table && catalog.grants.some((g) => g.recipient === grant.recipient && catalog.shares.some((s) => s.name === g.share && s.tables.includes(table)));
  const file = table ? resolve(table.location, grant.path) : '';
  const inside = table !== undefined && !relative(table.location, file).startsWith('..') && !file.includes(`${sep}_delta_log${sep}`);
  if (!table || !granted || !inside) {
    const why = !table || !granted ? 'the file is no longer shared with you' : 'the file is outside the shared table';
    sendError(res, new SharingRequestError(403, 'PERMISSION_DENIED', why));
    audit(home, { recipient: grant.recipient, method: req.method ?? 'GET', object: `file ${grant.path}`, status: 403, error: why });
    return;
  }
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    sendError(res, new SharingRequestError(404, 'RESOURCE_DOES_NOT_EXIST', 'the file is gone (vacuumed?)'));
    return;
  }
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
  let start = 0;
  let end = size - 1;
  if (range && (range[1] || range[2])) {
    if (range[1]) {
      start = Number(range[1]);
      end = range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    } else {
      start = Math.max(0, size - Number(range[2]));
    }
    if (start >= size || start > end) {
      res.writeHead(416, { 'content-range': `bytes */${size}` });
      res.end();
      return;
    }
  }
  const partial = range !== null && (range[1] !== '' || range[2] !== '');
  const headers = {
    'content-type': 'application/octet-stream',
    'accept-ranges': 'bytes',
    'content-length': String(end - start + 1),
    ...(partial ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
  };
  res.writeHead(partial ? 206 : 200, headers);
  const head = req.method === 'HEAD';
  audit(home, { recipient: grant.recipient, method: head ? 'HEAD' : 'GET', object: `${table.name} ${grant.path}`, status: partial ? 206 : 200, bytes: head ? 0 : end - start + 1 });
  if (head) res.end();
  // pipeline closes the file when a client hangs up early (fsspec probes a URL with a GET it drops after the headers).
  else pipeline(createReadStream(file, { start, end }), res, () => undefined);
}

/** The protocol server: `${ENDPOINT_PATH}/…` for the protocol, `/files/…` for signed data files. */
export function sharingServer(layout: SharingLayout, home: string, port: number): Server {
  const base = `http://127.0.0.1:${port}`;
  const key = signingKey(layout);
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    if (url.pathname.startsWith('/files/') && (req.method === 'GET' || req.method === 'HEAD')) fileRequest(layout, home, key, req, res, url);
    else if (url.pathname === ENDPOINT_PATH || url.pathname.startsWith(`${ENDPOINT_PATH}/`)) void protocolRequest(layout, home, base, key, req, res, url);
    else sendError(res, new SharingRequestError(404, 'RESOURCE_DOES_NOT_EXIST', `not a Delta Sharing path; the endpoint is ${base}${ENDPOINT_PATH}`));
  });
}

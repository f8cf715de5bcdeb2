/**
 * A loopback SQL warehouse that speaks the real HiveServer2/Databricks Thrift protocol over HTTPS:
 * the processor is the TCLIService code the driver ships, the transport and protocol come from the
 * `thrift` package the driver depends on. Tests script tables and failures; the driver under test
 * is the unmodified @databricks/sql client.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { thrift as driverThrift } from '@databricks/sql';
import { statementHandler, type ScriptedTable, type WarehouseState } from './thriftHandler.js';

interface ThriftRuntime {
  TBufferedTransport: {
    new (buffer: undefined, onFlush: (buf: Buffer) => void): unknown;
    receiver(callback: (transport: { commitPosition(): void }) => void): (data: Buffer) => void;
  };
  TBinaryProtocol: new (transport: unknown) => unknown;
}

const thriftRuntime = createRequire(import.meta.url)('thrift') as ThriftRuntime;

export interface SeenRequest {
  path: string;
  authorization: string | undefined;
  userAgent: string | undefined;
}

export interface ThriftWarehouse {
  url: string;
  port: number;
  httpPath: string;
  /** PEM of the self-signed certificate, for the engine's customCaCert. */
  caCert: string;
  state: WarehouseState;
  requests: SeenRequest[];
  close(): Promise<void>;
}

/** A self-signed certificate for 127.0.0.1, made by openssl into a throwaway directory. */
function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lhctl-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startThriftWarehouse(options: { token: string; tables: Record<string, ScriptedTable>; answer?: WarehouseState['answer'] }): Promise<ThriftWarehouse> {
  const { key, cert } = selfSignedCertificate();
  const httpPath = `/sql/1.0/warehouses/${randomBytes(4).toString('hex')}`;
  const state: WarehouseState = {
    tables: options.tables,
    answer: options.answer,
    sessions: new Map(),
    operations: new Map(),
    statements: [],
    sessionConfigurations: [],
    expireSessions: false,
    cancelled: [],
  };
  const processor = new driverThrift.TCLIService.Processor(statementHandler(state)) as unknown as {
    process(input: unknown, output: unknown): void;
  };
  const requests: SeenRequest[] = [];

  const server: Server = createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const authorization = req.headers.authorization;
      requests.push({ path: req.url ?? '', authorization, userAgent: req.headers['user-agent'] });
      if (req.method !== 'POST' || req.url !== httpPath) {
        res.writeHead(404).end();
        return;
      }
      if (authorization !== `Bearer ${options.token}`) {
        res.writeHead(401).end();
        return;
      }
      const output = new thriftRuntime.TBinaryProtocol(
        new thriftRuntime.TBufferedTransport(undefined, (buf) => {
          res.writeHead(200, { 'content-type': 'application/x-thrift' }).end(buf);
        }),
      );
      thriftRuntime.TBufferedTransport.receiver((transport) => {
        processor.process(new thriftRuntime.TBinaryProtocol(transport), output);
        transport.commitPosition();
      })(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    httpPath,
    caCert: cert,
    state,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

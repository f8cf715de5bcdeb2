import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { ensureToken } from '../../src/engines/local/install.js';
import { localLayout } from '../../src/engines/local/layout.js';
import { startServer, stopServer } from '../../src/engines/local/server.js';
import { TEST_HOME } from '../support/paths.js';

/**
 * A second Spark Connect server standing in for a remote cluster: its own home (warehouse, metastore, log),
 * port and token, on the runtime jars the suite already installed (linked, not downloaded again).
 */
export interface RemoteCluster {
  home: string;
  port: number;
  token: string;
  stop(): Promise<void>;
}

export async function startRemoteCluster(): Promise<RemoteCluster> {
  const home = mkdtempSync(join(tmpdir(), 'lhctl-cluster-'));
  const shared = localLayout(TEST_HOME);
  const own = localLayout(home);
  mkdirSync(own.runtimeDir, { recursive: true });
  symlinkSync(shared.jarsDir, own.jarsDir);
  symlinkSync(shared.protoDir, own.protoDir);
  copyFileSync(shared.manifestFile, own.manifestFile);
  const token = ensureToken(own);
  // Its catalog lives in memory for the server's life: no Derby metastore to create on a cold JVM.
  const state = await startServer({ home, javaHome: process.env['JAVA_HOME'], env: process.env }, { memory: '2g', extraSettings: { 'spark.sql.catalogImplementation': 'in-memory' } });
  return {
    home,
    port: state.port,
    token,
    async stop() {
      await stopServer(home);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** A test CA, a server certificate it signed for 127.0.0.1, and a CA that signed nothing here (openssl, in a temp folder). */
export interface TestCertificates {
  dir: string;
  caFile: string;
  otherCaFile: string;
  key: Buffer;
  cert: Buffer;
}

export function makeCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'lhctl-tls-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  for (const ca of ['ca', 'other-ca']) openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${ca}.key`, '-out', `${ca}.pem`, '-days', '1', '-subj', `/CN=lhctl test ${ca}`);
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'ext.cnf');
  return { dir, caFile: join(dir, 'ca.pem'), otherCaFile: join(dir, 'other-ca.pem'), key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.pem')) };
}

/** A TLS-terminating proxy on 127.0.0.1, as clusters are deployed behind one: TLS (ALPN h2) in, plaintext gRPC bytes out. */
export async function startTlsProxy(certificates: TestCertificates, upstreamPort: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createTlsServer({ key: certificates.key, cert: certificates.cert, ALPNProtocols: ['h2'] }, (client) => {
    const upstream = connect({ host: '127.0.0.1', port: upstreamPort });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  // A handshake the client gives up on (the wrong-CA check) is not an error of the proxy's.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

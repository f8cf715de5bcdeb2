import { isIP, connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { EngineError, EngineNotRunningError } from '../../core/errors.js';

/** What reaching a cluster needs from its profile, to say what to fix. */
export interface ReachTarget {
  env: string;
  file: string;
  host: string;
  port: number;
  tls: { ca?: Buffer | undefined } | undefined;
  caFile: string | undefined;
}

const TIMEOUT_MS = 10_000;

/** OpenSSL's verdicts on a certificate chain lhctl does not trust (Node's `error.code`). */
const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
]);

/**
 * Opens a TCP (and, for a TLS env, a TLS) connection to the cluster and closes it, so that an unknown host,
 * a closed port and an untrusted certificate each get an error of their own: gRPC reports all three as
 * "unavailable".
 */
export async function checkReachable(target: ReachTarget): Promise<void> {
  const address = `${target.host}:${target.port}`;
  const where = `spark_connect.url in ${target.file}`;
  try {
    await connectOnce(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      throw new EngineNotRunningError(`env ${target.env}: the host ${target.host} is not known here (DNS: ${code})`, { hint: `Check the host in ${where}.`, cause: error });
    }
    if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ETIMEDOUT' || code === 'TIMEOUT') {
      const what = code === 'ECONNREFUSED' ? 'refused the connection' : code === 'TIMEOUT' || code === 'ETIMEDOUT' ? `did not answer within ${TIMEOUT_MS / 1000} s` : 'cannot be reached from here';
      throw new EngineNotRunningError(`env ${target.env}: the Spark Connect cluster at ${address} ${what} (${code})`, {
        hint: `Check that the cluster's Spark Connect server runs and that ${address} is reachable from this machine (${where}).`,
        cause: error,
      });
    }
    if (UNTRUSTED.has(code) || code === 'CERT_HAS_EXPIRED' || code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
      const trust = target.caFile ? `the CA in ${target.caFile}` : "the system's CA store";
      const why =
        code === 'CERT_HAS_EXPIRED'
          ? 'its certificate has expired'
          : code === 'ERR_TLS_CERT_ALTNAME_INVALID'
            ? `its certificate is not for ${target.host}`
            : `its certificate is not signed by ${trust}`;
      throw new EngineError(`env ${target.env}: TLS to ${address} failed: ${why} (${code})`, {
        hint: UNTRUSTED.has(code)
          ? `Set spark_connect.ca_file in ${target.file} to the PEM of the CA that signed the cluster's certificate.`
          : `Ask the cluster's operators for a valid certificate for ${target.host}.`,
        cause: error,
      });
    }
    if (target.tls && (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO' || code === 'ECONNRESET')) {
      throw new EngineError(`env ${target.env}: ${address} did not complete a TLS handshake (${code}); it may not speak TLS`, {
        hint: `If the cluster serves plaintext gRPC, drop ;use_ssl=true from ${where}.`,
        cause: error,
      });
    }
    throw new EngineError(`env ${target.env}: could not connect to ${address}: ${(error as Error).message}`, { hint: `Check ${where}.`, cause: error });
  }
}

function connectOnce(target: ReachTarget): Promise<void> {
  return new Promise((resolve, reject) => {
    const { host, port, tls } = target;
    let socket: Socket;
    if (tls) {
      const servername = isIP(host) === 0 ? host : undefined;
      socket = tlsConnect({ host, port, ...(tls.ca ? { ca: tls.ca } : {}), ...(servername ? { servername } : {}), ALPNProtocols: ['h2'] }, () => done());
    } else {
      socket = tcpConnect({ host, port }, () => done());
    }
    const timer = setTimeout(() => done(Object.assign(new Error(`no answer within ${TIMEOUT_MS} ms`), { code: 'TIMEOUT' })), TIMEOUT_MS);
    function done(error?: Error): void {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve();
    }
    socket.once('error', (error) => done(error));
  });
}

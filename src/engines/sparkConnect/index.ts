import { EngineError } from '../../core/errors.js';
import type { Profile } from '../../profiles/profile.js';
import type { SparkConnectAuth } from '../../profiles/sparkConnectAuth.js';
import { capabilitiesOf } from '../engine.js';
import { checkReachable } from './reachability.js';
import { type ServerInfo, SparkConnectEngine, type SparkConnectEngineOptions } from './sparkConnectEngine.js';

export { SparkConnectEngine, type ServerInfo } from './sparkConnectEngine.js';

/** The oldest Spark whose Spark Connect server runs what lhctl sends (SQL relations, reattach, the Config RPC). */
export const MIN_SPARK_VERSION = '3.5.0';

export function versionAtLeast(version: string, minimum: string): boolean {
  const parts = (text: string) => (/^(\d+)\.(\d+)\.(\d+)/.exec(text) ?? []).slice(1).map(Number);
  const [a, b] = [parts(version), parts(minimum)];
  if (a.length < 3) return false;
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return true;
}

/** The capabilities a cluster has once connected: Delta's SQL only where its extension is configured. */
export function clusterCapabilities(info: ServerInfo): SparkConnectEngineOptions['capabilities'] {
  return { ...capabilitiesOf('spark-connect'), delta: info.delta };
}

/**
 * Connects to the Spark Connect cluster an env names: checks the host, port and TLS first (each fails with an
 * error of its own), then asks the server its Spark version and whether Delta is configured — once, here.
 */
export async function openSparkConnectEnv(profile: Profile, auth: SparkConnectAuth, protoDir: string): Promise<SparkConnectEngine> {
  const { url, tokenEnv, caFile } = auth.settings;
  const tls = url.useSsl ? { ca: auth.caPem } : undefined;
  await checkReachable({ env: profile.name, file: profile.file, host: url.host, port: url.port, tls, caFile });
  const address = `${url.host}:${url.port}`;
  const options: SparkConnectEngineOptions = {
    kind: 'spark-connect',
    capabilities: capabilitiesOf('spark-connect'),
    endpoint: { host: url.host, port: url.port, tls, token: auth.token, userId: url.userId, userAgent: url.userAgent, headers: url.headers, protoDir },
    server: {
      name: `the Spark Connect cluster of env ${profile.name}`,
      address,
      unavailableHint: `Check that the cluster's Spark Connect server runs and that ${address} is reachable from here (spark_connect.url in ${profile.file}).`,
      refusedHint: tokenEnv
        ? `Check that $${tokenEnv} holds the token the cluster expects (its spark.connect.authenticate.token).`
        : `The cluster wants a bearer token: export it in a variable and name that variable in spark_connect.token_env in ${profile.file}.`,
      slowHint: "See the Spark driver's log on the cluster.",
    },
    secrets: auth.secrets,
  };
  const engine = new SparkConnectEngine(options);
  let info: ServerInfo;
  try {
    info = await engine.serverInfo();
  } catch (error) {
    await engine.close().catch(() => undefined);
    throw error;
  }
  if (!versionAtLeast(info.sparkVersion, MIN_SPARK_VERSION)) {
    await engine.close().catch(() => undefined);
    throw new EngineError(`env ${profile.name}: the cluster runs Spark ${info.sparkVersion || '(unknown)'}; lhctl needs Spark ${MIN_SPARK_VERSION} or later over Spark Connect`, {
      hint: 'Point spark_connect.url at a Spark 3.5+ Spark Connect server.',
    });
  }
  if (info.delta) return engine;
  await engine.close().catch(() => undefined);
  return new SparkConnectEngine({ ...options, capabilities: clusterCapabilities(info) });
}

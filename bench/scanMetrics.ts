import { randomUUID } from 'node:crypto';
import { ensureToken } from '../src/engines/local/install.js';
import { localLayout } from '../src/engines/local/layout.js';
import { serverStatus } from '../src/engines/local/server.js';
import { SparkConnectSession, type ExecutePlanResponse } from '../src/engines/sparkConnect/session.js';

/**
 * Runs a query on the local engine's Spark Connect session directly, to read the metrics the
 * server sends with the result (SqlEngine does not expose them): files read by each scan.
 */
export interface ScanMetrics {
  filesRead: number;
  bytesRead: number;
  ms: number;
}

export async function openMetricsSession(home: string): Promise<SparkConnectSession> {
  const status = await serverStatus(home);
  if (!status.running || !status.state) throw new Error('the local engine is not running: lhctl engine start');
  const layout = localLayout(home);
  return new SparkConnectSession({ host: '127.0.0.1', port: status.state.port, token: ensureToken(layout), protoDir: layout.protoDir });
}

export async function scanMetrics(session: SparkConnectSession, sql: string): Promise<ScanMetrics> {
  const started = performance.now();
  const metrics: NonNullable<ExecutePlanResponse['metrics']>[] = [];
  for await (const response of session.executeSql(sql, randomUUID(), () => undefined)) {
    if (response.metrics) metrics.push(response.metrics);
  }
  const ms = performance.now() - started;
  let filesRead = 0;
  let bytesRead = 0;
  for (const plan of metrics) {
    for (const node of plan.metrics ?? []) {
      if (!node.name?.startsWith('Scan')) continue;
      for (const [key, value] of Object.entries(node.execution_metrics ?? {})) {
        if (key === 'numFiles') filesRead += Number(value.value ?? 0);
        if (key === 'filesSize') bytesRead += Number(value.value ?? 0);
      }
    }
  }
  return { filesRead, bytesRead, ms };
}

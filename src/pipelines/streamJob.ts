import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../core/paths.js';
import type { Profile } from '../profiles/profile.js';
import { sqlStatements } from '../sql/index.js';
import type { ContinuousJob, SparkPythonTask } from './jobs.js';
import { KAFKA_BRONZE_COLUMNS, STREAM_QUERY_NAME, STREAM_TASK_SQL, salesStream } from './streams.js';

/**
 * The sales stream on Databricks: a continuous job whose one task runs the bundled PySpark script
 * (streams/kafka_to_bronze.py) on a job cluster. The workspace keeps one run going and restarts it after
 * a failure with backoff. Classic jobs compute, not serverless: serverless jobs compute runs neither
 * continuous jobs nor interval triggers (Databricks, "Run jobs continuously" and "Serverless compute
 * limitations"). The query itself (source options, columns, sink, checkpoint) is built by salesStream(),
 * as the local runner's is, and passed to the script as parameters.
 *
 * Kafka SASL/TLS credentials are not handled: the script reads a broker that needs none (or one the
 * cluster reaches through its own network setup); secrets for it would belong in a secret scope.
 */
export const STREAM_JOB = 'retail_sales_stream';
export const STREAM_SCRIPT = 'streams/kafka_to_bronze.py';
const JOB_CLUSTER = 'sales_stream';
/** Databricks Runtime 16.4 LTS: Structured Streaming with the Kafka source built in, Unity Catalog volumes for checkpoints. */
const SPARK_VERSION = '16.4.x-scala2.12';
/** Micro-batches every 10 s: events reach bronze within seconds without a commit per record. */
export const STREAM_TRIGGER_INTERVAL = '10 seconds';

/** The bundled script's text, uploaded as a workspace file. */
export function streamScript(): string {
  return readFileSync(join(packageRoot(), STREAM_SCRIPT), 'utf8');
}

/** Where the stream keeps its checkpoint on Databricks: beside the landed files, in the env's landing volume. */
export function databricksStreamCheckpoint(profile: Profile): string {
  return `${profile.databricks?.landing ?? ''}/_checkpoints/${profile.schemas.bronze}.sales_transactions`;
}

/** The statement without the file's header comment, which speaks of the local runner. */
function withoutLeadingComments(statement: string): string {
  return statement.replace(/^(\s*--[^\n]*\n)+/, '').trim();
}

function streamTask(profile: Profile): SparkPythonTask {
  const workspaceDir = profile.databricks?.workspaceDir ?? '';
  const kafka = profile.sources.kafka!;
  const spec = salesStream(profile, {
    bootstrapServers: kafka.bootstrapServers,
    checkpointLocation: databricksStreamCheckpoint(profile),
    trigger: { processingTime: STREAM_TRIGGER_INTERVAL },
  });
  const { 'kafka.bootstrap.servers': _servers, subscribe: _topic, ...kafkaOptions } = spec.source.options;
  // The same CREATE TABLE the local job runs, rendered for the env, so the script never holds a copy of the DDL.
  const [createTable = ''] = sqlStatements(STREAM_TASK_SQL, { profile, landing: profile.databricks?.landing ?? '' });
  return {
    task_key: STREAM_QUERY_NAME,
    description: `Append the POS events of Kafka topic ${kafka.topic} to bronze continuously, exactly once per offset (micro-batches every ${STREAM_TRIGGER_INTERVAL}).`,
    job_cluster_key: JOB_CLUSTER,
    spark_python_task: {
      python_file: `${workspaceDir}/${STREAM_SCRIPT}`,
      source: 'WORKSPACE',
      parameters: [
        ...['--bootstrap-servers', kafka.bootstrapServers, '--topic', kafka.topic, '--table', spec.table, '--checkpoint', spec.checkpointLocation],
        ...['--trigger-interval', STREAM_TRIGGER_INTERVAL, '--query-name', spec.queryName],
        ...['--columns', JSON.stringify(KAFKA_BRONZE_COLUMNS), '--kafka-options', JSON.stringify(kafkaOptions), '--create-table', withoutLeadingComments(createTable)],
      ],
    },
    // A stream never ends on its own: no task timeout; the continuous job restarts a failed run.
    timeout_seconds: 0,
  };
}

/** The continuous stream job of a Databricks profile that names a Kafka topic; none otherwise. */
export function streamJob(profile: Profile): ContinuousJob | undefined {
  const kafka = profile.sources.kafka;
  if (profile.engine !== 'databricks' || !kafka) return undefined;
  return {
    name: STREAM_JOB,
    description: `Kafka topic ${kafka.topic} → bronze.sales_transactions, continuously (Structured Streaming, checkpointed in the landing volume).`,
    tags: { project: 'lhctl', env: profile.name },
    // Paused outside prod, as the schedules are, so a fresh deploy never starts writing on its own.
    continuous: { pause_status: profile.protected ? 'UNPAUSED' : 'PAUSED' },
    max_concurrent_runs: 1,
    timeout_seconds: 0,
    ...(profile.notifications.onFailure.length ? { email_notifications: { on_failure: [...profile.notifications.onFailure] } } : {}),
    job_clusters: [
      {
        job_cluster_key: JOB_CLUSTER,
        // Standard access mode reads and writes Unity Catalog tables and volumes.
        new_cluster: { spark_version: SPARK_VERSION, node_type_id: kafka.nodeTypeId ?? '', num_workers: 1, data_security_mode: 'USER_ISOLATION' },
      },
    ],
    tasks: [streamTask(profile)],
  };
}

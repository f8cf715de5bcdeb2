import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../core/paths.js';
import { loadProfile, parseProfile } from '../profiles/profile.js';
import { readFileSync } from 'node:fs';
import { listSqlFiles } from '../sql/index.js';
import { INGESTION_JOB, QUALITY_JOB, SOURCES, STREAM_JOB, TRANSFORMATION_JOB, findJob, isScheduledJob, jobDefinitions, scheduledJobs, sqlNameOfTask, type ContinuousJob } from './jobs.js';
import { KAFKA_BRONZE_COLUMNS } from './streams.js';
import { validateGraph } from './runner/graph.js';

const profiles = ['local', 'dev', 'prod'].map((name) => loadProfile(join(packageRoot(), 'profiles'), name));

describe('jobDefinitions', () => {
  it('defines the three retail jobs with schedules, retries and timeouts', () => {
    for (const profile of profiles) {
      expect(jobDefinitions(profile)).toEqual(scheduledJobs(profile));
      const jobs = scheduledJobs(profile);
      expect(jobs.map((j) => j.name)).toEqual([INGESTION_JOB, TRANSFORMATION_JOB, QUALITY_JOB]);
      expect(jobs.map((j) => j.schedule.quartz_cron_expression)).toEqual(['0 0 * * * ?', '0 15 0/2 * * ?', '0 0 1/2 * * ?']);
      for (const job of jobs) {
        validateGraph(job);
        for (const task of job.tasks) {
          expect(task.max_retries).toBeGreaterThan(0);
          expect(task.timeout_seconds).toBeGreaterThan(0);
          expect(listSqlFiles()).toContain(sqlNameOfTask(task));
        }
      }
    }
  });

  it('points tasks at the workspace copy on Databricks and at the bundled file locally', () => {
    const [local, dev] = profiles;
    const devTask = findJob(dev!, 'transform')!.tasks.find((t) => t.task_key === 'gold_fact_sales')!;
    expect(devTask.sql_task).toEqual({ file: { path: '/Shared/lhctl/dev/sql/gold/fact_sales.sql', source: 'WORKSPACE' }, warehouse_id: 'dev-warehouse' });
    expect(findJob(local!, 'transform')!.tasks.find((t) => t.task_key === 'gold_fact_sales')!.sql_task.file.path).toBe('sql/gold/fact_sales.sql');
  });

  it('ingests every source in parallel and builds dimensions before facts before aggregates', () => {
    const ingest = findJob(profiles[0]!, 'ingest')!;
    for (const source of SOURCES) expect(ingest.tasks.find((t) => t.task_key === `ingest_${source}`)!.depends_on).toEqual([{ task_key: 'bronze_setup' }]);
    const transform = findJob(profiles[0]!, 'transform')!;
    const deps = (key: string): string[] => (transform.tasks.find((t) => t.task_key === key)!.depends_on ?? []).map((d) => d.task_key);
    expect(deps('gold_fact_sales')).toEqual(expect.arrayContaining(['gold_dim_customer', 'gold_dim_product', 'gold_dim_store', 'gold_dim_date']));
    expect(deps('gold_agg_daily_sales')).toEqual(['gold_fact_sales']);
    expect(deps('gold_dim_customer')).toEqual(['silver_customers']);
  });

  describe('live sources', () => {
    const live = loadProfile(join(packageRoot(), 'profiles'), 'live');
    const devText = readFileSync(join(packageRoot(), 'profiles', 'dev.yaml'), 'utf8');
    const liveDev = parseProfile(
      `${devText}sources:\n  kafka:\n    bootstrap_servers: broker1:9092,broker2:9092\n    topic: pos.sales\n    node_type_id: i3.xlarge\n  orders_db:\n    url: jdbc:postgresql://db:5432/orders\n    tables: [customers, orders]\n    federated_catalog: orders_fed\n`,
      join(packageRoot(), 'profiles', 'dev.yaml'),
    );
    const keys = (job: { tasks: { task_key: string }[] } | undefined): string[] => (job?.tasks ?? []).map((t) => t.task_key);

    it('locally, the ingestion job streams sales available-now and pulls the database tables; no other job appears', () => {
      expect(jobDefinitions(live).map((j) => j.name)).toEqual([INGESTION_JOB, TRANSFORMATION_JOB, QUALITY_JOB]);
      const ingest = findJob(live, 'ingest')!;
      expect(keys(ingest)).toEqual(['bronze_setup', 'ingest_customers', 'ingest_products', 'ingest_stores', 'ingest_inventory', 'ingest_orders', 'stream_sales_transactions']);
      expect(ingest.tasks.find((t) => t.task_key === 'stream_sales_transactions')!.sql_task.file.path).toBe('sql/bronze/stream_sales_transactions.sql');
      expect(ingest.tasks.find((t) => t.task_key === 'ingest_customers')!.sql_task.file.path).toBe('sql/bronze/jdbc_customers.sql');
    });

    it('on Databricks, the stream is a fourth, continuous job on a job cluster and the ingestion job leaves it out', () => {
      const jobs = jobDefinitions(liveDev);
      expect(jobs.map((j) => j.name)).toEqual([INGESTION_JOB, TRANSFORMATION_JOB, QUALITY_JOB, STREAM_JOB]);
      const ingest = jobs.find((j) => j.name === INGESTION_JOB)!;
      expect(keys(ingest)).toEqual(['bronze_setup', 'ingest_customers', 'ingest_products', 'ingest_stores', 'ingest_inventory', 'ingest_orders']);
      expect(ingest.tasks.map((t) => sqlNameOfTask(t))).toContain('bronze/jdbc_customers');
      expect(findJob(liveDev, STREAM_JOB)).toBeUndefined();

      const stream = jobs.find((j) => j.name === STREAM_JOB) as ContinuousJob;
      expect(isScheduledJob(stream)).toBe(false);
      expect(stream).not.toHaveProperty('schedule');
      expect(stream.continuous).toEqual({ pause_status: 'PAUSED' });
      expect(stream.max_concurrent_runs).toBe(1);
      expect(stream.job_clusters).toEqual([
        {
          job_cluster_key: 'sales_stream',
          new_cluster: { spark_version: expect.stringMatching(/^\d+\.\d+\.x-scala/), node_type_id: 'i3.xlarge', num_workers: 1, data_security_mode: 'USER_ISOLATION' },
        },
      ]);
      const [task, ...others] = stream.tasks;
      expect(others).toEqual([]);
      expect(task!.task_key).toBe('stream_sales_transactions');
      expect(task!.job_cluster_key).toBe('sales_stream');
      expect(task!.spark_python_task.python_file).toBe('/Shared/lhctl/dev/streams/kafka_to_bronze.py');
      expect(task!.spark_python_task.source).toBe('WORKSPACE');
      const params = task!.spark_python_task.parameters;
      const param = (name: string): string => params[params.indexOf(name) + 1]!;
      expect(param('--bootstrap-servers')).toBe('broker1:9092,broker2:9092');
      expect(param('--topic')).toBe('pos.sales');
      expect(param('--table')).toBe('`retail_datalake`.`dev_bronze`.`sales_transactions`');
      expect(param('--checkpoint')).toBe('/Volumes/retail_datalake/dev_bronze/landing/_checkpoints/dev_bronze.sales_transactions');
      expect(param('--trigger-interval')).toBe('10 seconds');
      expect(JSON.parse(param('--columns'))).toEqual(KAFKA_BRONZE_COLUMNS);
      expect(JSON.parse(param('--kafka-options'))).toMatchObject({ startingOffsets: 'earliest', includeHeaders: 'true', failOnDataLoss: 'true' });
      expect(param('--create-table')).toMatch(/^CREATE TABLE IF NOT EXISTS `retail_datalake`\.`dev_bronze`\.sales_transactions \(/);
      expect(() => sqlNameOfTask(task!)).toThrow(/runs the Python file/);
    });

    it('on a protected Databricks env the stream job runs unpaused, as the schedules do', () => {
      const prodText = readFileSync(join(packageRoot(), 'profiles', 'prod.yaml'), 'utf8');
      const liveProd = parseProfile(
        `${prodText}sources:\n  kafka:\n    bootstrap_servers: broker:9092\n    topic: pos.sales\n    node_type_id: i3.xlarge\n`,
        join(packageRoot(), 'profiles', 'prod.yaml'),
      );
      const stream = jobDefinitions(liveProd).find((j) => j.name === STREAM_JOB) as ContinuousJob;
      expect(stream.continuous).toEqual({ pause_status: 'UNPAUSED' });
      // Without orders_db every other source still lands as files.
      expect(keys(findJob(liveProd, 'ingest'))).toEqual(['bronze_setup', 'ingest_customers', 'ingest_products', 'ingest_stores', 'ingest_inventory', 'ingest_orders']);
    });
  });
});

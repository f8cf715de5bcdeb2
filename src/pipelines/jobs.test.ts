import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../core/paths.js';
import { loadProfile } from '../profiles/profile.js';
import { listSqlFiles } from '../sql/index.js';
import { INGESTION_JOB, QUALITY_JOB, SOURCES, TRANSFORMATION_JOB, findJob, jobDefinitions, sqlNameOfTask } from './jobs.js';
import { validateGraph } from './runner/graph.js';

const profiles = ['local', 'dev', 'prod'].map((name) => loadProfile(join(packageRoot(), 'profiles'), name));

describe('jobDefinitions', () => {
  it('defines the three retail jobs with schedules, retries and timeouts', () => {
    for (const profile of profiles) {
      const jobs = jobDefinitions(profile);
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
});

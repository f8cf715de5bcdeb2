/** The field-level job diff behind `lhctl deploy --plan`. */
import { describe, expect, it } from 'vitest';
import { describeChange, settingsDiff } from '../../src/ops/jobDiff.js';

const declared = {
  name: 'retail_transformation_pipeline',
  schedule: { quartz_cron_expression: '0 15 0/2 * * ?', timezone_id: 'UTC', pause_status: 'PAUSED' },
  tasks: [
    { task_key: 'silver_setup', timeout_seconds: 1800 },
    { task_key: 'silver_orders', timeout_seconds: 1800, depends_on: [{ task_key: 'silver_setup' }, { task_key: 'silver_stores' }] },
  ],
};

describe('job settings diff', () => {
  it('ignores fields only the workspace fills in and the order of unkeyed lists', () => {
    const remote = {
      ...declared,
      format: 'MULTI_TASK',
      email_notifications: {},
      tasks: [
        { task_key: 'silver_orders', timeout_seconds: 1800, run_if: 'ALL_SUCCESS', depends_on: [{ task_key: 'silver_stores' }, { task_key: 'silver_setup' }] },
        { task_key: 'silver_setup', timeout_seconds: 1800, run_if: 'ALL_SUCCESS' },
      ],
    };
    expect(settingsDiff(declared, remote)).toEqual([]);
  });

  it('reports changed, added and removed tasks by task_key', () => {
    const remote = {
      ...declared,
      tasks: [
        { task_key: 'silver_setup', timeout_seconds: 600 },
        { task_key: 'legacy_cleanup', timeout_seconds: 60 },
      ],
    };
    expect(settingsDiff(declared, remote).map(describeChange)).toEqual(['tasks[silver_setup].timeout_seconds: 600 → 1800', 'tasks[silver_orders]: ∅ → added', 'tasks[legacy_cleanup]: present → ∅']);
  });

  it('reports a changed dependency list as one change', () => {
    const remote = { ...declared, tasks: [declared.tasks[0], { ...declared.tasks[1], depends_on: [{ task_key: 'silver_setup' }] }] };
    const changes = settingsDiff(declared, remote);
    expect(changes).toHaveLength(1);
    expect(changes[0]!.path).toBe('tasks[silver_orders].depends_on');
  });
});

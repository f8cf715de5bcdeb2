-- The latest result of every quality rule (not a job task).
SELECT check_group, table_name, rule,
  max_by(passed, checked_at) AS passed,
  max_by(failing_count, checked_at) AS failing_count,
  max_by(array_join(sample_keys, ', '), checked_at) AS sample_keys
FROM {{catalog}}.{{gold}}.quality_results
GROUP BY check_group, table_name, rule
ORDER BY passed, check_group, table_name, rule;

-- The current outcome of every quality rule, failures first (not a job task).
SELECT check_group, table_name, rule, passed, failing_count, array_join(sample_keys, ', ') AS sample_keys, changed_at
FROM {{catalog}}.{{gold}}.quality_results
ORDER BY passed, check_group, table_name, rule;

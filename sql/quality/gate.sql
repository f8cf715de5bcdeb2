-- The gate: fails the run (raise_error) when the latest result of any rule failed, naming the table,
-- the rule, the failing count and sample keys of each.
SELECT CASE WHEN count(*) > 0 THEN raise_error(concat(
    CAST(count(*) AS STRING), ' quality rule(s) failed: ',
    array_join(sort_array(collect_list(concat(table_name, ' [', rule, '] ', CAST(failing_count AS STRING), ' failing, e.g. ',
      coalesce(array_join(sample_keys, ', '), '-')))), '; ')))
  END AS gate
FROM (
  SELECT table_name, rule,
    max_by(passed, checked_at) AS passed,
    max_by(failing_count, checked_at) AS failing_count,
    max_by(sample_keys, checked_at) AS sample_keys
  FROM {{catalog}}.{{gold}}.quality_results
  GROUP BY table_name, rule
)
WHERE NOT passed;

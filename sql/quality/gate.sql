-- The gate: fails the run (raise_error) when any rule's current outcome is a failure, naming the table,
-- the rule, the failing count and sample keys of each.
SELECT CASE WHEN count(*) > 0 THEN raise_error(concat(
    CAST(count(*) AS STRING), ' quality rule(s) failed: ',
    array_join(sort_array(collect_list(concat(table_name, ' [', rule, '] ', CAST(failing_count AS STRING), ' failing, e.g. ',
      coalesce(array_join(sample_keys, ', '), '-')))), '; ')))
  END AS gate
FROM {{catalog}}.{{gold}}.quality_results
WHERE NOT passed;

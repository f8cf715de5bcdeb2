-- Quarantined rows by source and reason (not a job task).
SELECT source, reason, count(*) AS row_count
FROM {{catalog}}.{{silver}}.quarantine
GROUP BY source, reason
ORDER BY source, reason;

-- Calendar dimension, 2020–2030; static, so the merge only ever inserts days it does not have.
CREATE TABLE IF NOT EXISTS {{catalog}}.{{gold}}.dim_date (
  date_key INT NOT NULL COMMENT 'yyyymmdd',
  date DATE NOT NULL,
  year INT NOT NULL,
  quarter INT NOT NULL,
  month INT NOT NULL,
  month_name STRING NOT NULL,
  day_of_month INT NOT NULL,
  day_of_week INT NOT NULL COMMENT '1 = Monday … 7 = Sunday',
  day_name STRING NOT NULL,
  week_of_year INT NOT NULL COMMENT 'ISO week',
  is_weekend BOOLEAN NOT NULL
) USING DELTA
CLUSTER BY (date_key);

MERGE INTO {{catalog}}.{{gold}}.dim_date AS t
USING (
  SELECT
    CAST(date_format(d, 'yyyyMMdd') AS INT) AS date_key,
    d AS date,
    year(d) AS year,
    quarter(d) AS quarter,
    month(d) AS month,
    date_format(d, 'MMMM') AS month_name,
    dayofmonth(d) AS day_of_month,
    weekday(d) + 1 AS day_of_week,
    date_format(d, 'EEEE') AS day_name,
    weekofyear(d) AS week_of_year,
    weekday(d) >= 5 AS is_weekend
  FROM (SELECT explode(sequence(DATE'2020-01-01', DATE'2030-12-31', INTERVAL 1 DAY)) AS d)
) AS s
ON t.date_key = s.date_key
WHEN NOT MATCHED THEN INSERT *;

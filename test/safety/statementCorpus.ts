import type { StatementKind } from '../../src/sql/statementKind.js';

/**
 * Statements the write gate must class correctly, each with its expected class. Tables are in the
 * schema `safety_gate`, which the CLI suite creates on the local engine so the reads run there and
 * the refused statements would have hit real tables. `local: false` marks a read the local engine
 * cannot run (Databricks-only syntax); it is still classified and still must not be refused.
 */
export interface CorpusStatement {
  sql: string;
  kind: StatementKind;
  local?: false;
}

export const SAFETY_SCHEMA = 'safety_gate';
/** The table the refused statements aim at; its rows and versions must not change. */
export const SENTINEL = `${SAFETY_SCHEMA}.events`;

export const STATEMENT_CORPUS: readonly CorpusStatement[] = [
  // Reads, including keywords inside strings, quoted names and comments.
  { sql: 'select * from safety_gate.events', kind: 'read' },
  { sql: "select 'drop table x' as s", kind: 'read' },
  { sql: '-- delete\nselect 1', kind: 'read' },
  { sql: '/* insert */ select 1', kind: 'read' },
  { sql: '/* nested /* drop table safety_gate.events; */ still a comment */ select 2', kind: 'read' },
  { sql: "select * from safety_gate.events where note = 'then delete'", kind: 'read' },
  { sql: "select * from safety_gate.events where note = \"insert overwrite\" or note = 'it''s'", kind: 'read' },
  { sql: "select 'a\\'; drop table safety_gate.events; --' as s", kind: 'read' },
  { sql: 'select `delete` from (select 1 as `delete`)', kind: 'read' },
  { sql: 'with c as (select 9 as id) select * from c', kind: 'read' },
  { sql: 'WITH a AS (SELECT 1 AS id), b (id) AS (SELECT id FROM a) SELECT * FROM b', kind: 'read' },
  { sql: 'with recursive r(n) as (select 1 union all select n + 1 from r where n < 3) select * from r', kind: 'read' },
  { sql: '(select id from safety_gate.events) union (select 2)', kind: 'read' },
  { sql: 'values (1), (2)', kind: 'read' },
  { sql: 'table safety_gate.events', kind: 'read' },
  { sql: 'show tables in safety_gate', kind: 'read' },
  { sql: 'describe history safety_gate.events', kind: 'read' },
  { sql: 'DESC safety_gate.events', kind: 'read' },
  { sql: "explain insert overwrite safety_gate.events select 9, 'x'", kind: 'read' },
  { sql: 'set spark.sql.ansi.enabled = true', kind: 'read' },
  { sql: 'SET', kind: 'read' },
  { sql: "SET TIME ZONE 'UTC'", kind: 'read' },
  { sql: 'declare variable gate_v int default 1; set var gate_v = 2; select gate_v', kind: 'read' },
  { sql: 'use safety_gate', kind: 'read' },
  { sql: 'refresh table safety_gate.events', kind: 'read' },
  { sql: 'cache table safety_gate.events; uncache table safety_gate.events', kind: 'read' },
  // Names a query for this session only: nothing stored changes.
  { sql: 'create or replace temporary view gate_tmp as select 1 as id', kind: 'read' },
  { sql: "LIST '/Volumes/retail_datalake/prod_bronze/landing'", kind: 'read', local: false },
  { sql: 'select 1; select 2', kind: 'read' },
  { sql: 'declare variable gate_w int; drop temporary variable gate_w', kind: 'read' },

  // Writes: change rows or the catalog, remove nothing.
  { sql: "insert into safety_gate.events values (9, 'x')", kind: 'write' },
  { sql: "with c as (select 9 as id, 'x' as note) insert into safety_gate.events select * from c", kind: 'write' },
  { sql: "merge into safety_gate.events t using (select 1 as id) s on t.id = s.id when matched then update set note = 'then delete'", kind: 'write' },
  { sql: "with s as (select 7 as id) merge into safety_gate.events t using s on t.id = s.id when not matched then insert (id, note) values (s.id, 'm')", kind: 'write' },
  { sql: "update safety_gate.events set note = 'y' where id = 1", kind: 'write' },
  { sql: 'create table safety_gate.events_copy as select * from safety_gate.events', kind: 'write' },
  { sql: 'create table if not exists safety_gate.fresh (id int)', kind: 'write' },
  { sql: 'create view safety_gate.events_view as select * from safety_gate.events', kind: 'write' },
  { sql: 'create or replace global temporary view gate_global as select 1 as id', kind: 'write' },
  { sql: 'optimize safety_gate.events zorder by (id)', kind: 'write' },
  { sql: 'alter table safety_gate.events add columns (extra string)', kind: 'write' },
  { sql: "alter table safety_gate.events set tblproperties ('note' = 'drop column')", kind: 'write' },
  { sql: 'msck repair table safety_gate.events', kind: 'write' },
  { sql: "copy into safety_gate.events from '/Volumes/x/landing' fileformat = csv", kind: 'write' },
  { sql: 'refresh materialized view safety_gate.events_mv', kind: 'write' },
  { sql: "comment on table safety_gate.events is 'drop me'", kind: 'write' },
  { sql: 'analyze table safety_gate.events compute statistics', kind: 'write' },
  { sql: "select 1; insert into safety_gate.events values (2, 'b')", kind: 'write' },
  { sql: "load data local inpath '/tmp/events' into table safety_gate.events", kind: 'write' },

  // Destructive: remove or replace data, history or access, or cannot be known before they run.
  { sql: "insert overwrite safety_gate.events select 9, 'x'", kind: 'destructive' },
  { sql: "with c as (select 9 as id, 'x' as note) insert overwrite safety_gate.events select * from c", kind: 'destructive' },
  { sql: "WITH RECURSIVE r(n) AS (SELECT 1) INSERT OVERWRITE TABLE safety_gate.events SELECT n, 'r' FROM r", kind: 'destructive' },
  { sql: "with a as (select 1 as id), b (id) as (select id from a) insert overwrite safety_gate.events select id, 'b' from b", kind: 'destructive' },
  { sql: '-- a comment first\nWITH c AS (SELECT 1 AS id) /* then */ INSERT OVERWRITE safety_gate.events SELECT id, `note` FROM c', kind: 'destructive' },
  { sql: 'merge into safety_gate.events t using (select 1 as id) s on t.id = s.id when matched then delete', kind: 'destructive' },
  { sql: "MERGE INTO safety_gate.events t USING (SELECT 1 AS id) s ON t.id = s.id WHEN MATCHED AND s.id > 0 THEN UPDATE SET note = 'u' WHEN NOT MATCHED BY SOURCE THEN DELETE", kind: 'destructive' },
  { sql: 'with s as (select 1 as id) merge into safety_gate.events t using s on t.id = s.id when matched and t.note is null then delete', kind: 'destructive' },
  { sql: 'create or replace table safety_gate.events (id int, note string)', kind: 'destructive' },
  { sql: 'create or replace view safety_gate.events_view as select 1 as id', kind: 'destructive' },
  { sql: 'replace table safety_gate.events (id int) using delta', kind: 'destructive' },
  { sql: 'truncate table safety_gate.events', kind: 'destructive' },
  { sql: 'drop table safety_gate.events', kind: 'destructive' },
  { sql: 'drop view if exists safety_gate.events_view', kind: 'destructive' },
  { sql: 'alter table safety_gate.events drop column note', kind: 'destructive' },
  { sql: 'ALTER TABLE safety_gate.events DROP CONSTRAINT events_pk', kind: 'destructive' },
  { sql: 'alter table safety_gate.events replace columns (id int)', kind: 'destructive' },
  { sql: 'delete from safety_gate.events where id = 1', kind: 'destructive' },
  { sql: "insert into safety_gate.events replace where id = 1 select 1, 'r'", kind: 'destructive' },
  { sql: 'from safety_gate.events insert overwrite table safety_gate.events select *', kind: 'destructive' },
  { sql: 'restore table safety_gate.events to version as of 0', kind: 'destructive' },
  { sql: 'vacuum safety_gate.events retain 0 hours', kind: 'destructive' },
  { sql: 'grant select on table safety_gate.events to `account users`', kind: 'destructive' },
  { sql: 'revoke select on table safety_gate.events from `account users`', kind: 'destructive' },
  { sql: "execute immediate 'drop table safety_gate.events'", kind: 'destructive' },
  { sql: "set tag on table safety_gate.events tier = 'gold'", kind: 'destructive' },
  { sql: "select transform(id) using 'cat' as (x) from safety_gate.events", kind: 'destructive' },
  { sql: "select reflect('java.lang.Thread', 'sleep', 10L)", kind: 'destructive' },
  { sql: "add jar '/tmp/udf.jar'", kind: 'destructive' },
  { sql: 'fsck repair table safety_gate.events', kind: 'destructive' },
  { sql: '/* select */ delete from safety_gate.events', kind: 'destructive' },
  { sql: '-- select 1\ndrop table safety_gate.events', kind: 'destructive' },
  { sql: 'select 1; drop table safety_gate.events; select 2', kind: 'destructive' },
  { sql: "load data local inpath '/tmp/events' overwrite into table safety_gate.events", kind: 'destructive' },
  { sql: 'explain analyze delete from safety_gate.events', kind: 'destructive' },
  { sql: 'frobnicate safety_gate.events', kind: 'destructive' },
  { sql: 'call safety_gate.cleanup()', kind: 'destructive' },
  { sql: "select 'unterminated from safety_gate.events", kind: 'destructive' },
  { sql: 'select (1 from safety_gate.events', kind: 'destructive' },
  { sql: 'with c as select 1 insert overwrite safety_gate.events select 1', kind: 'destructive' },
];

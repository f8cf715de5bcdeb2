"""Loads a DAG folder in Airflow's DagBag and prints, as JSON, what each DAG would do: its import
errors, schedule, tasks with their dependencies, retries, timeouts and Databricks run, and its
failure notifiers. Run with the export tests' venv; AIRFLOW_HOME must point at a scratch folder.
The JSON goes to the file named second: Airflow logs to stdout while it fills the bag."""
import json
import sys

from airflow.dag_processing.dagbag import DagBag


def seconds(delta):
    return None if delta is None else delta.total_seconds()


def schedule_of(dag):
    timetable = dag.timetable
    if type(timetable).__name__ == "AssetTriggeredTimetable":
        condition = timetable.asset_condition
        objects = getattr(condition, "objects", [condition])
        return {"type": type(timetable).__name__, "assets": sorted(a.uri for a in objects)}
    return {"type": type(timetable).__name__, "cron": timetable.summary, "timezone": str(timetable._timezone)}


def notifier(callback):
    name = type(callback).__name__
    if name == "SmtpNotifier":
        return {"type": name, "to": list(callback.to) if not isinstance(callback.to, str) else [callback.to]}
    if name == "SlackWebhookNotifier":
        return {"type": name, "connection": callback.slack_webhook_conn_id}
    return {"type": name}


def task_of(task):
    run = {}
    if type(task).__name__ == "DatabricksSubmitRunOperator":
        run = {"conn_id": task.databricks_conn_id, "submitted_tasks": task.tasks, "run_timeout_seconds": task.timeout_seconds}
    return {
        "operator": type(task).__name__,
        "upstream": sorted(task.upstream_task_ids),
        "retries": task.retries,
        "retry_delay_seconds": seconds(task.retry_delay),
        "retry_exponential_backoff": task.retry_exponential_backoff,
        "execution_timeout_seconds": seconds(task.execution_timeout),
        "outlets": sorted(getattr(o, "uri", str(o)) for o in task.outlets),
        **run,
    }


def main(folder, target):
    bag = DagBag(dag_folder=folder, safe_mode=False)
    out = {"import_errors": {k: str(v) for k, v in bag.import_errors.items()}, "dags": {}}
    for dag_id, dag in sorted(bag.dags.items()):
        callbacks = dag.on_failure_callback or []
        callbacks = callbacks if isinstance(callbacks, list) else [callbacks]
        out["dags"][dag_id] = {
            "schedule": schedule_of(dag),
            "paused_on_creation": dag.is_paused_upon_creation,
            "max_active_runs": dag.max_active_runs,
            "dagrun_timeout_seconds": seconds(dag.dagrun_timeout),
            "catchup": dag.catchup,
            "tags": sorted(dag.tags),
            "on_failure": [notifier(c) for c in callbacks],
            "tasks": {t.task_id: task_of(t) for t in dag.tasks},
        }
    with open(target, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1, sort_keys=True, default=str)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

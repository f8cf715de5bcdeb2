#!/usr/bin/env bash
# The export tests' Python tools in test/.work/venv-airflow, from the pinned lock beside this script:
# Airflow 3 with the Databricks provider (DagBag loads the exported DAGs), check-jsonschema (the
# workflow) and python-hcl2 (the Terraform). Quiet and instant when the venv matches the lock.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/../.work/venv-airflow"
lock="$here/requirements.lock"
[ -f "$venv/.installed" ] && cmp -s "$lock" "$venv/.installed" && exit 0
started=$(date +%s)
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check -r "$lock"
cp "$lock" "$venv/.installed"
echo "export tests: Python tools installed in $(( $(date +%s) - started )) s ($venv)" >&2

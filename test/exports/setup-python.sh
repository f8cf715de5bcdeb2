#!/usr/bin/env bash
# The export tests' Python tools in test/.work/venv-airflow, from the pinned lock beside this script:
# Airflow 3 with the Databricks provider (DagBag loads the exported DAGs), check-jsonschema (the
# workflow) and python-hcl2 (the Terraform). Quiet and instant when the venv matches the lock.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/../support/setup-venv.sh" venv-airflow "$here/requirements.lock" 'export tests: Python tools'

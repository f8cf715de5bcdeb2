#!/usr/bin/env bash
# The reference Spark Connect client for the benchmarks: pyspark-client from PyPI in bench/.venv.
set -euo pipefail
cd "$(dirname "$0")"
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q pyspark-client==4.2.0

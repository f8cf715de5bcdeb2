#!/usr/bin/env bash
# The sharing tests' partner client in test/.work/venv-sharing, from the pinned lock beside this script:
# the official Delta Sharing connector (delta-sharing on PyPI) with the pandas, pyarrow and fsspec it
# pins. Quiet and instant when the venv matches the lock.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/../support/setup-venv.sh" venv-sharing "$here/requirements.lock" 'sharing tests: the Delta Sharing connector'

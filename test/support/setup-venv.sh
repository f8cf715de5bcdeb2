#!/usr/bin/env bash
# A test suite's Python tools in test/.work/<venv>, from a pinned lock: quiet and instant when the venv
# already matches the lock. Usage: setup-venv.sh <venv name> <lock file> <what, for the one line it prints>
set -euo pipefail
venv="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.work/$1"
lock="$2"
[ -f "$venv/.installed" ] && cmp -s "$lock" "$venv/.installed" && exit 0
started=$(date +%s)
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check -r "$lock"
cp "$lock" "$venv/.installed"
echo "$3 installed in $(( $(date +%s) - started )) s ($venv)" >&2

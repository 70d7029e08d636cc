#!/usr/bin/env bash
# The project's checks: set up .venv if needed, lint, run the test suite on
# one pytest-xdist worker per core (PYTEST_WORKERS=0: in this process).
#   bash tools/run_tests.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash tools/setup_env.sh
echo "== ruff"
.venv/bin/ruff check .
echo "== pytest"
status=0
# each file on one worker, in the order tests/conftest.py gives (the
# longest first)
.venv/bin/python -m pytest -n "${PYTEST_WORKERS:-auto}" --dist loadfile \
  --no-loadscope-reorder "$@" || status=$?
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure here" >&2
  exit 1
fi
exit "$status"

# What both quickstarts (tools/quickstart.sh and
# projects/litehrnet_seg/tools/quickstart.sh) do alike; sourced by them from
# the repository root. Sets up the environment and defines PY, MIM, ROOT and:
#   step TEXT                     print a timed heading
#   make_data DIR KEY COMMAND...  run COMMAND unless DIR was made with KEY
set -euo pipefail
ROOT=$PWD
bash tools/setup_env.sh
PY=$ROOT/.venv/bin/python
MIM=$ROOT/.venv/bin/mim
start=$(date +%s)

step() { echo; echo "== [$(( $(date +%s) - start )) s] $*"; }

make_data() {
  local dir=$1 key=$2
  shift 2
  if [ "$(cat "$dir/.made-with" 2>/dev/null)" = "$key" ]; then
    echo "already there"
    return
  fi
  rm -rf "$dir"
  "$@"
  echo "$key" > "$dir/.made-with"
}

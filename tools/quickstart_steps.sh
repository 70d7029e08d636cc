# What both quickstarts (tools/quickstart.sh and
# projects/litehrnet_seg/tools/quickstart.sh) do alike; sourced by them from
# the repository root. Sets up the environment and defines PY, MIM, ROOT and:
#   step NAME TEXT                print a timed heading; the time from here to
#                                 the next step is recorded as NAME's
#   step_times                    NAME=SECONDS for each step, and total=...
#   make_data DIR KEY COMMAND...  run COMMAND unless DIR was made with KEY
set -euo pipefail
ROOT=$PWD
start=$(date +%s)
bash tools/setup_env.sh
PY=$ROOT/.venv/bin/python
MIM=$ROOT/.venv/bin/mim
STEP_TIMES=()
step_name=""
step_start=$start

step() {
  local now
  now=$(date +%s)
  if [ -n "$step_name" ]; then
    STEP_TIMES+=("$step_name=$(( now - step_start ))")
  fi
  step_name=$1 step_start=$now
  shift
  echo; echo "== [$(( now - start )) s] $*"
}

step_times() { echo "${STEP_TIMES[@]}" "total=$(( $(date +%s) - start ))"; }

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

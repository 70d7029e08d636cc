#!/usr/bin/env bash
# Create .venv/ at the repository root with the pinned, tested stack
# (requirements/constraints.txt), or confirm in seconds that it is there.
#
#   bash tools/setup_env.sh          # create or refresh
#   FORCE=1 bash tools/setup_env.sh  # rebuild the environment from scratch
#
# mmcv 2.x is a source distribution only; its CPU ops are compiled here once
# (about 2.5 minutes on 2 cores) and the wheel is kept in
# ${LITEHRNET_MM_CACHE:-~/.cache/litehrnet_mm}/wheels, keyed by the torch
# version it was built against (pip's own cache keys it by the sdist alone and
# would hand a wheel built for another torch back silently).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
VENV=$ROOT/.venv
PY=$VENV/bin/python
STAMP=$VENV/.litehrnet_mm-stack
CACHE=${LITEHRNET_MM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/litehrnet_mm}
CONSTRAINTS=$ROOT/requirements/constraints.txt
MMCV_VERSION=$(sed -n 's/^mmcv==//p' "$CONSTRAINTS")

log() { echo "[setup_env $(date +%H:%M:%S)] $*"; }

# A pin is `name==version`: a `pip freeze` line such as `mmcv @ file:///...`
# names one machine's file and breaks the set-up everywhere else.
not_pins=$(grep -vnE '^(#.*|[A-Za-z0-9._-]+==[A-Za-z0-9.+!_-]+)?$' \
  "$CONSTRAINTS" || true)
if [ -n "$not_pins" ]; then
  echo "requirements/constraints.txt: only name==version lines, got:" >&2
  echo "$not_pins" >&2
  exit 1
fi

stack_id() {
  cat requirements/*.txt setup.cfg tools/setup_env.sh tools/mmcv_compiler.py |
    sha256sum | cut -c1-16
}

check_stack() {
  "$PY" - <<'PYEOF'
import warnings
warnings.filterwarnings('ignore')
import torch
import mmcv.ops
import mmengine
import mmpose.models  # imports mmcv.ops and mmdet, as mmpose >= 1.2 does
import litehrnet_mm
import onnxruntime  # noqa: F401  (deploy tools)
import mmseg.apis  # noqa: F401  (projects/litehrnet_seg)
boxes = torch.tensor([[0., 0., 10., 10.], [1., 1., 10., 10.]])
_, keep = mmcv.ops.nms(boxes, torch.tensor([0.9, 0.8]), iou_threshold=0.5)
assert keep.tolist() == [0], keep
print(f'torch {torch.__version__}, mmcv {mmcv.__version__} (ops), '
      f'mmengine {mmengine.__version__}, mmpose {mmpose.__version__}, '
      f'litehrnet_mm {litehrnet_mm.__version__}')
PYEOF
}

if [ "${FORCE:-0}" != 1 ] && [ -f "$STAMP" ] && \
   [ "$(cat "$STAMP")" = "$(stack_id)" ] && check_stack 2>/dev/null; then
  log ".venv is up to date"
  exit 0
fi

start=$(date +%s)
if [ "${FORCE:-0}" = 1 ]; then rm -rf "$VENV"; fi
if [ ! -x "$PY" ]; then
  log "creating .venv with ${PYTHON:-python3.11}"
  "${PYTHON:-python3.11}" -m venv "$VENV"
fi
rm -f "$STAMP"
PIP=("$PY" -m pip --disable-pip-version-check)
pin() { grep -E "^$1==" "$CONSTRAINTS"; }

log "installing pip, setuptools and torch"
"${PIP[@]}" install -q "$(pin pip)"
"${PIP[@]}" install -q -c "$CONSTRAINTS" -r requirements/torch.txt \
  setuptools wheel numpy ninja

torch_version=$("$PY" -c 'import torch; print(torch.__version__)')
py_tag=$("$PY" -c 'import sys; print(f"cp{sys.version_info[0]}{sys.version_info[1]}")')
wheel_dir=$CACHE/wheels/mmcv-$MMCV_VERSION-torch-$torch_version-$py_tag
wheel=$(ls "$wheel_dir"/mmcv-*.whl 2>/dev/null | head -n 1 || true)
if [ -z "$wheel" ]; then
  log "compiling mmcv $MMCV_VERSION with its ops against torch $torch_version" \
      "(about 2.5 minutes on 2 cores)"
  # The compilers of this one build go through tools/mmcv_compiler.py
  # (C++20 for torch's headers, no debug information, torch/types.h
  # precompiled once): see its docstring for what each saves.
  wrap=$(mktemp -d)
  for cc in gcc g++; do
    printf '#!/bin/sh\nexec "%s" "%s" "%s" "$@"\n' "$PY" \
      "$ROOT/tools/mmcv_compiler.py" "$(command -v "$cc")" > "$wrap/$cc"
    chmod +x "$wrap/$cc"
  done
  build=$(mktemp -d)
  MMCV_WITH_OPS=1 MAX_JOBS=$(nproc) CC=$wrap/gcc CXX=$wrap/g++ \
    MMCV_PCH_DIR=$wrap/pch \
    "${PIP[@]}" wheel --no-build-isolation --no-deps --no-cache-dir \
    "mmcv==$MMCV_VERSION" -w "$build"
  mkdir -p "$wheel_dir"
  mv "$build"/mmcv-*.whl "$wheel_dir"/
  rm -rf "$wrap" "$build"
  wheel=$(ls "$wheel_dir"/mmcv-*.whl | head -n 1)
fi
log "installing $(basename "$wheel")"
"${PIP[@]}" install -q --no-deps --force-reinstall "$wheel"

log "installing mmengine, mmpose, mmdet, mmsegmentation, mim and their" \
    "runtime requirements"
"${PIP[@]}" install -q -c "$CONSTRAINTS" -r requirements/runtime.txt \
  -r requirements/tests.txt -r requirements/deploy.txt \
  -r requirements/segmentation.txt
# mmpose's and mim's own dependency lists name chumpy and opendatalab, which
# must stay out (see requirements/runtime.txt): install them without it.
"${PIP[@]}" install -q --no-deps "$(pin mmengine)" "$(pin mmpose)" \
  "$(pin mmdet)" "$(pin openmim)"

log "installing litehrnet_mm in development mode"
# A develop install (an .egg-link to this checkout) is what mim and
# mmengine's `litehrnet_mm::` config prefix need: they look for
# <distribution location>/litehrnet_mm/.mim, which a PEP 660 editable
# install places in site-packages, where no such folder exists.
develop_log=$(mktemp)
if ! "$PY" -c 'from setuptools import setup; setup()' develop --no-deps \
    >"$develop_log" 2>&1; then
  cat "$develop_log"; exit 1
fi
rm -f "$develop_log"

# the only unmet requirements allowed are the two left out on purpose
unmet=$("${PIP[@]}" check 2>&1 | grep -vE 'requires (chumpy|opendatalab)' \
  | grep -v '^No broken requirements' || true)
if [ -n "$unmet" ]; then echo "$unmet"; exit 1; fi
check_stack
stack_id > "$STAMP"
log "done in $(( $(date +%s) - start )) s"

#!/usr/bin/env bash
# Distributed training on this machine (or several, with NNODES, NODE_RANK,
# MASTER_ADDR), one process per GPU; without CUDA the processes run on the
# CPU over gloo.
#   bash tools/dist_train.sh CONFIG GPUS [tools/train.py arguments]
set -euo pipefail
TOOLS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CONFIG=$1
GPUS=$2
shift 2
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
PORT=${PORT:-29500}
MASTER_ADDR=${MASTER_ADDR:-127.0.0.1}
if [ -z "${PYTHON:-}" ]; then  # the checkout's .venv, else the PATH's
  PYTHON=python
  if [ -x "$TOOLS/../.venv/bin/python" ]; then PYTHON=$TOOLS/../.venv/bin/python; fi
fi
exec "$PYTHON" -m torch.distributed.run --nnodes="$NNODES" \
  --node_rank="$NODE_RANK" --master_addr="$MASTER_ADDR" \
  --nproc_per_node="$GPUS" --master_port="$PORT" \
  "$TOOLS/train.py" "$CONFIG" --launcher pytorch "$@"

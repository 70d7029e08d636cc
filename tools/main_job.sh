#!/usr/bin/env bash
# The main job, end to end on the CPU: the environment, a synthetic
# COCO-format people dataset, training with `mim train`, COCO OKS evaluation
# with `mim test`, and pictures of the predicted skeletons.
#   bash tools/main_job.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
bash tools/setup_env.sh
PY=$ROOT/.venv/bin/python
MIM=$ROOT/.venv/bin/mim
CONFIG=configs/body_2d_keypoint/topdown_heatmap/synthetic/td-hm_litehrnet-18_1xb32-8e_synthetic-coco-128x96.py
DATA=data/synthetic_coco
WORK=work_dirs/main_job
NUM_TRAIN=${NUM_TRAIN:-3000}
NUM_VAL=${NUM_VAL:-200}
start=$(date +%s)

step() { echo; echo "== [$(( $(date +%s) - start )) s] $*"; }

step "dataset: $DATA ($NUM_TRAIN train, $NUM_VAL val images)"
stamp=$DATA/.made-with
want="$NUM_TRAIN $NUM_VAL seed0 $(sha256sum litehrnet_mm/datasets/synthetic_coco.py | cut -c1-12)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  rm -rf "$DATA"
  "$PY" tools/dataset_converters/make_synthetic_coco.py --out-dir "$DATA" \
    --num-train "$NUM_TRAIN" --num-val "$NUM_VAL" --seed 0
  echo "$want" > "$stamp"
else
  echo "already there"
fi

step "training: mim train litehrnet_mm $CONFIG"
rm -rf "$WORK"
"$MIM" train litehrnet_mm "$CONFIG" --work-dir "$WORK"

step "evaluation: mim test (CocoMetric, OKS)"
checkpoint=$(ls -t "$WORK"/best_coco_AP_epoch_*.pth | head -n 1)
"$MIM" test litehrnet_mm "$CONFIG" --checkpoint "$checkpoint" \
  --work-dir "$WORK/test" --out "$WORK/metrics.json"

step "pictures: predicted skeletons on validation images"
"$PY" tools/misc/visualize_predictions.py "$CONFIG" "$checkpoint" \
  --ann-file "$DATA/annotations/person_keypoints_val.json" \
  --img-dir "$DATA/val" --num 8 --out-dir "$WORK/vis"

log=$(ls -t "$WORK"/*/*.log | head -n 1)
step "done"
cat <<SUMMARY
checkpoint: $ROOT/$checkpoint
log:        $ROOT/$log
metrics:    $ROOT/$WORK/metrics.json
            $(cat "$WORK/metrics.json")
pictures:   $ROOT/$WORK/vis/
SUMMARY

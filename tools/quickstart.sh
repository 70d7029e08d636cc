#!/usr/bin/env bash
# The pose quickstart, end to end on the CPU with nothing to download: the
# environment, a synthetic COCO-format people dataset, training with
# `mim train`, COCO OKS evaluation with `mim test`, and pictures of the
# predicted skeletons.
#   bash tools/quickstart.sh
# NUM_TRAIN and NUM_VAL (the dataset's size) may be set in the environment.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source tools/quickstart_steps.sh
CONFIG=configs/body_2d_keypoint/topdown_heatmap/synthetic/td-hm_litehrnet-18_1xb32-8e_synthetic-coco-128x96.py
DATA=data/synthetic_coco
WORK=work_dirs/quickstart
NUM_TRAIN=${NUM_TRAIN:-3000}
NUM_VAL=${NUM_VAL:-200}

step data "dataset: $DATA ($NUM_TRAIN train, $NUM_VAL val images)"
make_data "$DATA" "$NUM_TRAIN $NUM_VAL seed0 $(sha256sum \
  litehrnet_mm/datasets/synthetic_coco.py | cut -c1-12)" \
  "$PY" tools/misc/make_synthetic_coco.py --out-dir "$DATA" \
  --num-train "$NUM_TRAIN" --num-val "$NUM_VAL" --seed 0

step training "training: mim train litehrnet_mm $CONFIG"
rm -rf "$WORK"
"$MIM" train litehrnet_mm "$CONFIG" --work-dir "$WORK"

step test "evaluation: mim test (CocoMetric, OKS)"
checkpoint=$(ls -t "$WORK"/best_coco_AP_epoch_*.pth | head -n 1)
"$MIM" test litehrnet_mm "$CONFIG" --checkpoint "$checkpoint" \
  --work-dir "$WORK/test" --out "$WORK/metrics.json"

step pictures "pictures: predicted skeletons on validation images"
"$PY" tools/misc/visualize_predictions.py "$CONFIG" "$checkpoint" \
  --ann-file "$DATA/annotations/person_keypoints_val.json" \
  --img-dir "$DATA/val" --num 8 --out-dir "$WORK/vis"

log=$(ls -t "$WORK"/*/*.log | head -n 1)
step done "done"
# shellcheck disable=SC2046
"$PY" tools/misc/quickstart_results.py "$WORK" --steps $(step_times) \
  --metrics coco/AP "coco/AP .5" "coco/AP .75" coco/AR \
  --title "pose quickstart ($NUM_TRAIN train, $NUM_VAL val images)" \
  --out "$WORK/results.json"
cat <<SUMMARY
checkpoint: $(realpath "$checkpoint")
log:        $(realpath "$log")
metrics:    $(realpath "$WORK/metrics.json")
            $(cat "$WORK/metrics.json")
pictures:   $(realpath "$WORK/vis")/
results:    $(realpath "$WORK/results.json") (python -m litehrnet_mm.cli.results prints its tables)
SUMMARY

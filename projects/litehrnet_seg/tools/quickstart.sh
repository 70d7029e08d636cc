#!/usr/bin/env bash
# The segmentation quickstart, end to end on the CPU with nothing to
# download: the environment, the synthetic body-part dataset, training
# Lite-HRNet-18 with `mim train`, mIoU with `mim test` (mmseg's IoUMetric),
# and pictures of the predicted masks (mmseg's inference API and visualizer).
#   bash projects/litehrnet_seg/tools/quickstart.sh
# NUM_TRAIN and NUM_VAL (the dataset's size) and ITERS (the training's
# iterations, 500 in the config) may be set in the environment.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."
source tools/quickstart_steps.sh
PROJECT=projects/litehrnet_seg
CONFIG=$PROJECT/configs/fcn_litehrnet-18_1xb16-500_synthetic-parts-128x160.py
DATA=data/synthetic_parts
WORK=work_dirs/litehrnet_seg_quickstart
NUM_TRAIN=${NUM_TRAIN:-2000}
NUM_VAL=${NUM_VAL:-200}
ITERS=${ITERS:-}
options=()
if [ -n "$ITERS" ]; then
  if ! [[ "$ITERS" =~ ^[0-9]+$ ]] || (( ITERS < 2 )); then
    echo "ITERS is the number of training iterations, at least 2;" \
      "got '$ITERS'" >&2
    exit 2
  fi
  # the config's schedule scaled to ITERS: a tenth of it warm-up (and the
  # logging interval), poly decay over the rest, one checkpoint at the end
  tenth=$(( ITERS / 10 > 0 ? ITERS / 10 : 1 ))
  options=(--cfg-options "train_cfg.max_iters=$ITERS"
    "train_cfg.val_interval=$ITERS" "default_hooks.checkpoint.interval=$ITERS"
    "default_hooks.logger.interval=$tenth" "param_scheduler.0.end=$tenth"
    "param_scheduler.1.begin=$tenth" "param_scheduler.1.end=$ITERS")
fi

step data "dataset: $DATA ($NUM_TRAIN train, $NUM_VAL val images)"
make_data "$DATA" "$NUM_TRAIN $NUM_VAL seed0 $(cat \
  litehrnet_mm/datasets/synthetic_coco.py \
  $PROJECT/tools/make_synthetic_parts.py | sha256sum | cut -c1-12)" \
  "$PY" $PROJECT/tools/make_synthetic_parts.py --out-dir "$DATA" \
  --num-train "$NUM_TRAIN" --num-val "$NUM_VAL" --seed 0

step training "training: mim train litehrnet_mm $CONFIG"
rm -rf "$WORK"
# evaluated once, by the next step
"$MIM" train litehrnet_mm "$CONFIG" --work-dir "$WORK" --no-validate \
  "${options[@]}"

step test "evaluation: mim test (IoUMetric)"
checkpoint=$(ls -t "$WORK"/iter_*.pth | head -n 1)
"$MIM" test litehrnet_mm "$CONFIG" --checkpoint "$checkpoint" \
  --work-dir "$WORK/test" --out "$WORK/metrics.json"

step pictures "pictures: predicted masks on validation images"
"$PY" $PROJECT/tools/visualize_predictions.py "$CONFIG" "$checkpoint" \
  --img-dir "$DATA/img_dir/val" --ann-dir "$DATA/ann_dir/val" --num 8 \
  --out-dir "$WORK/vis" --montage "$WORK/predictions.png"

step done "done"
# shellcheck disable=SC2046
"$PY" tools/misc/quickstart_results.py "$WORK" --steps $(step_times) \
  --metrics mIoU mAcc aAcc \
  --title "segmentation quickstart ($NUM_TRAIN train, $NUM_VAL val images, ${ITERS:-500} iterations)" \
  --out "$WORK/results.json"
cat <<SUMMARY
checkpoint: $ROOT/$checkpoint
metrics:    $ROOT/$WORK/metrics.json
            $(cat "$WORK/metrics.json")
pictures:   $ROOT/$WORK/vis/, $ROOT/$WORK/predictions.png
results:    $ROOT/$WORK/results.json (python -m litehrnet_mm.cli.results prints its tables)
SUMMARY

#!/usr/bin/env bash
# The segmentation quickstart, end to end on the CPU with nothing to
# download: the environment, the synthetic body-part dataset, training
# Lite-HRNet-18 with `mim train`, mIoU with `mim test` (mmseg's IoUMetric),
# and pictures of the predicted masks (mmseg's inference API and visualizer).
#   bash projects/litehrnet_seg/tools/quickstart.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."
source tools/quickstart_steps.sh
PROJECT=projects/litehrnet_seg
CONFIG=$PROJECT/configs/fcn_litehrnet-18_1xb16-500_synthetic-parts-128x160.py
DATA=data/synthetic_parts
WORK=work_dirs/litehrnet_seg_quickstart
NUM_TRAIN=${NUM_TRAIN:-2000}
NUM_VAL=${NUM_VAL:-200}

step data "dataset: $DATA ($NUM_TRAIN train, $NUM_VAL val images)"
make_data "$DATA" "$NUM_TRAIN $NUM_VAL seed0 $(cat \
  litehrnet_mm/datasets/synthetic_coco.py \
  $PROJECT/tools/make_synthetic_parts.py | sha256sum | cut -c1-12)" \
  "$PY" $PROJECT/tools/make_synthetic_parts.py --out-dir "$DATA" \
  --num-train "$NUM_TRAIN" --num-val "$NUM_VAL" --seed 0

step training "training: mim train litehrnet_mm $CONFIG"
rm -rf "$WORK"
# evaluated once, by the next step
"$MIM" train litehrnet_mm "$CONFIG" --work-dir "$WORK" --no-validate

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
  --title "segmentation quickstart ($NUM_TRAIN train, $NUM_VAL val images)" \
  --out "$WORK/results.json"
cat <<SUMMARY
checkpoint: $ROOT/$checkpoint
metrics:    $ROOT/$WORK/metrics.json
            $(cat "$WORK/metrics.json")
pictures:   $ROOT/$WORK/vis/, $ROOT/$WORK/predictions.png
results:    $ROOT/$WORK/results.json (python -m litehrnet_mm.cli.results prints its tables)
SUMMARY

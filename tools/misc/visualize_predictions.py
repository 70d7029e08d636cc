"""Draw a pose model's predictions on images of a COCO-format dataset.

    python tools/misc/visualize_predictions.py CONFIG CHECKPOINT \
        --ann-file data/synthetic_coco/annotations/person_keypoints_val.json \
        --img-dir data/synthetic_coco/val --num 6 --out-dir vis

The first ``--num`` images that have people (crowds left out) are drawn;
their people are cropped by their annotated boxes (the top-down protocol
without a detector), their keypoints predicted with mmpose's
``inference_topdown`` and drawn with mmpose's ``PoseLocalVisualizer``.
"""
import gc

gc.disable()  # until the imports are done: litehrnet_mm/cli/startup.py
import argparse
import os.path as osp
from typing import List, Optional

import mmcv
from mmengine.utils import mkdir_or_exist
from mmpose.apis import inference_topdown, init_model
from mmpose.registry import VISUALIZERS
from mmpose.structures import merge_data_samples

import litehrnet_mm  # noqa: F401
from litehrnet_mm.cli.arg_types import (
    existing_dir,
    existing_file,
    positive_int,
)
from litehrnet_mm.cli.progress import Progress
from litehrnet_mm.cli.startup import libraries_loaded
from litehrnet_mm.datasets import annotated_people

libraries_loaded()


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Visualize predictions')
    parser.add_argument('config', type=existing_file, help='model config')
    parser.add_argument('checkpoint', type=existing_file,
                        help='model checkpoint')
    parser.add_argument('--ann-file', required=True, type=existing_file,
                        help='COCO-format annotations (boxes)')
    parser.add_argument('--img-dir', required=True, type=existing_dir,
                        help='image folder')
    parser.add_argument('--num', type=positive_int, default=6,
                        help='how many images (default: 6)')
    parser.add_argument('--out-dir', required=True, help='PNG output folder')
    parser.add_argument('--kpt-thr', type=float, default=0.3,
                        help='draw keypoints scoring above this')
    parser.add_argument('--device', default='cpu')
    return parser.parse_args(argv)


def main() -> None:
    args = parse_args()
    model = init_model(args.config, args.checkpoint, device=args.device)
    visualizer = VISUALIZERS.build(model.cfg.visualizer)
    visualizer.set_dataset_meta(model.dataset_meta)
    mkdir_or_exist(args.out_dir)
    people = annotated_people(args.ann_file, args.img_dir)[:args.num]
    written = []
    progress = Progress(len(people), 'pictures')
    for path, boxes in people:
        results = merge_data_samples(
            inference_topdown(model, path, boxes, bbox_format='xywh'))
        out_file = osp.join(args.out_dir,
                            osp.splitext(osp.basename(path))[0] + '.png')
        visualizer.add_datasample(
            'prediction', mmcv.imread(path, channel_order='rgb'), results,
            draw_gt=False, draw_bbox=True, kpt_thr=args.kpt_thr,
            show=False, out_file=out_file)
        progress.update()
        written.append(out_file)
    progress.close()
    print(f'{len(written)} pictures in {args.out_dir}')


if __name__ == '__main__':
    main()

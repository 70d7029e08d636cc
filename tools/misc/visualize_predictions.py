"""Draw a pose model's predictions on images of a COCO-format dataset.

    python tools/misc/visualize_predictions.py CONFIG CHECKPOINT \
        --ann-file data/synthetic_coco/annotations/person_keypoints_val.json \
        --img-dir data/synthetic_coco/val --num 6 --out-dir vis

Each image's people are cropped by their annotated boxes (the top-down
protocol without a detector), their keypoints predicted with mmpose's
``inference_topdown`` and drawn with mmpose's ``PoseLocalVisualizer``.
"""
import argparse
import os.path as osp
from typing import List, Optional

import mmcv
import numpy as np
from mmengine.utils import mkdir_or_exist, track_iter_progress
from mmpose.apis import inference_topdown, init_model
from mmpose.registry import VISUALIZERS
from mmpose.structures import merge_data_samples
from xtcocotools.coco import COCO

import litehrnet_mm  # noqa: F401
from litehrnet_mm.utils.arg_types import (
    existing_dir,
    existing_file,
    positive_int,
)


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
    coco = COCO(args.ann_file)
    written = []
    for image_id in track_iter_progress(sorted(coco.getImgIds())[:args.num]):
        info = coco.loadImgs(image_id)[0]
        anns = coco.loadAnns(coco.getAnnIds(imgIds=image_id, iscrowd=False))
        boxes = np.array([a['bbox'] for a in anns], dtype=np.float32)
        boxes[:, 2:] += boxes[:, :2]  # xywh -> xyxy
        path = osp.join(args.img_dir, info['file_name'])
        results = merge_data_samples(inference_topdown(model, path, boxes))
        out_file = osp.join(args.out_dir,
                            osp.splitext(info['file_name'])[0] + '.png')
        visualizer.add_datasample(
            'prediction', mmcv.imread(path, channel_order='rgb'), results,
            draw_gt=False, draw_bbox=True, kpt_thr=args.kpt_thr,
            show=False, out_file=out_file)
        written.append(out_file)
    print(f'{len(written)} pictures in {args.out_dir}')


if __name__ == '__main__':
    main()

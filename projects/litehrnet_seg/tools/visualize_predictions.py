"""Draw a segmentation model's predicted masks beside the ground truth, on
images of a dataset in mmseg's layout, with mmseg's inference API and
visualizer.

    python projects/litehrnet_seg/tools/visualize_predictions.py \
        CONFIG CHECKPOINT --img-dir data/synthetic_parts/img_dir/val \
        --ann-dir data/synthetic_parts/ann_dir/val --num 8 --out-dir vis

Each picture is the image with the ground truth (left) and the prediction
(right) overlaid; ``--montage`` also tiles them into one file.
"""
import gc

gc.disable()  # until the imports are done: litehrnet_mm/cli/startup.py
import argparse
import os.path as osp
from pathlib import Path
from typing import List, Optional

import cv2
import mmcv
import numpy as np
import torch
from mmengine.structures import PixelData
from mmengine.utils import mkdir_or_exist

import litehrnet_mm  # noqa: F401
from litehrnet_mm.cli.arg_types import (
    existing_dir,
    existing_file,
    positive_int,
)
from litehrnet_mm.cli.run_args import allow_project_imports
from litehrnet_mm.cli.startup import libraries_loaded

libraries_loaded()


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Draw predicted masks')
    parser.add_argument('config', type=existing_file, help='model config')
    parser.add_argument('checkpoint', type=existing_file, help='checkpoint')
    parser.add_argument('--img-dir', type=existing_dir, required=True,
                        help='images (.jpg)')
    parser.add_argument('--ann-dir', type=existing_dir,
                        help='label maps (.png of the same names), drawn '
                        'beside the predictions')
    parser.add_argument('--num', type=positive_int, default=8,
                        help='images to draw (the first, by name)')
    parser.add_argument('--out-dir', required=True, help='output folder')
    parser.add_argument('--montage', help='also tile the pictures into '
                        'this file')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    allow_project_imports()
    from mmseg.apis import inference_model, init_model
    from mmseg.visualization import SegLocalVisualizer
    model = init_model(args.config, args.checkpoint, device='cpu')
    visualizer = SegLocalVisualizer(
        name='litehrnet_seg_vis', alpha=0.6)
    visualizer.dataset_meta = model.dataset_meta
    mkdir_or_exist(args.out_dir)
    drawn = []
    for image_file in sorted(Path(args.img_dir).glob('*.jpg'))[:args.num]:
        result = inference_model(model, str(image_file))
        if args.ann_dir is not None:
            label = cv2.imread(
                osp.join(args.ann_dir, image_file.stem + '.png'),
                cv2.IMREAD_UNCHANGED)
            result.gt_sem_seg = PixelData(
                data=torch.from_numpy(label.astype(np.int64))[None])
        out_file = osp.join(args.out_dir, image_file.stem + '.png')
        visualizer.add_datasample(
            image_file.stem, mmcv.imread(str(image_file), channel_order='rgb'),
            result, draw_gt=args.ann_dir is not None, show=False,
            out_file=out_file)
        drawn.append(out_file)
    print(f'{len(drawn)} pictures in {args.out_dir}')
    if args.montage and drawn:
        tiles = [cv2.imread(f) for f in drawn]
        rows = [np.concatenate(tiles[i:i + 2], 1) if i + 1 < len(tiles)
                else np.concatenate([tiles[i], np.zeros_like(tiles[i])], 1)
                for i in range(0, len(tiles), 2)]
        cv2.imwrite(args.montage, np.concatenate(rows, 0))
        print(f'montage: {args.montage}')


if __name__ == '__main__':
    main()

"""Write a synthetic body-part segmentation dataset in MMSegmentation's
layout: the package's rendered people, each pixel labelled with the part of
the person seen there (``litehrnet_mm.datasets.PART_CLASSES``).

    python projects/litehrnet_seg/tools/make_synthetic_parts.py \
        --out-dir data/synthetic_parts --num-train 2000 --num-val 200

Layout: ``img_dir/{train,val}/<id>.jpg`` and ``ann_dir/{train,val}/<id>.png``
(8-bit class indices), as mmseg's ``BaseSegDataset`` reads them. The same
seed gives the same files.
"""
import gc

gc.disable()  # until the imports are done: litehrnet_mm/cli/startup.py
import argparse
import time
from pathlib import Path
from typing import List, Optional, Tuple

import cv2
import numpy as np
from mmengine.utils import mkdir_or_exist

from litehrnet_mm.cli.arg_types import positive_int
from litehrnet_mm.cli.progress import Progress
from litehrnet_mm.cli.run_args import generator_parser
from litehrnet_mm.cli.startup import libraries_loaded
from litehrnet_mm.datasets import render_scene

libraries_loaded()


def make_synthetic_parts(out_dir: str,
                         num_train: int = 2000,
                         num_val: int = 200,
                         seed: int = 0,
                         size: Tuple[int, int] = (256, 320),
                         progress: bool = True) -> None:
    """Write the dataset.

    Args:
        out_dir (str): The dataset folder (created).
        num_train (int): Training images. Defaults to 2000.
        num_val (int): Validation images. Defaults to 200.
        seed (int): Random seed. Defaults to 0.
        size (tuple[int, int]): Image height and width. Defaults to
            (256, 320).
        progress (bool): Report progress (a bar on a terminal, a line per
            tenth in a log). Defaults to True.
    """
    root = Path(out_dir)
    bar = Progress(num_train + num_val, 'images') if progress else None
    for split, count, offset in (('train', num_train, 0),
                                 ('val', num_val, 1_000_000)):
        mkdir_or_exist(root / 'img_dir' / split)
        mkdir_or_exist(root / 'ann_dir' / split)
        for i in range(count):
            image_id = offset + i + 1
            image, _, parts = render_scene(
                np.random.default_rng([seed, image_id]), size)
            name = f'{image_id:012d}'
            cv2.imwrite(str(root / 'img_dir' / split / f'{name}.jpg'), image,
                        [cv2.IMWRITE_JPEG_QUALITY, 92])
            cv2.imwrite(str(root / 'ann_dir' / split / f'{name}.png'), parts)
            if bar is not None:
                bar.update()
    if bar is not None:
        bar.close()


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = generator_parser(
        'Write a synthetic body-part segmentation dataset')
    parser.add_argument('--size', type=positive_int, nargs=2,
                        default=[256, 320], metavar=('H', 'W'),
                        help='image height and width (default: 256 320)')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    start = time.time()
    make_synthetic_parts(args.out_dir, args.num_train, args.num_val,
                         args.seed, tuple(args.size))
    total = args.num_train + args.num_val
    print(f'{total} images in {time.time() - start:.1f} s: {args.out_dir}')


if __name__ == '__main__':
    main()

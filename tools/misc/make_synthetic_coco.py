"""Write a synthetic COCO person-keypoints dataset (rendered people).

    python tools/misc/make_synthetic_coco.py \
        --out-dir data/synthetic_coco --num-train 2000 --num-val 200 --seed 0

See ``litehrnet_mm.datasets.make_synthetic_coco``.
"""
import argparse
import time
from typing import List, Optional

from litehrnet_mm.datasets import make_synthetic_coco
from litehrnet_mm.utils.arg_types import non_negative_int, positive_int


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Write a synthetic COCO person-keypoints dataset')
    parser.add_argument('--out-dir', required=True, help='dataset folder')
    parser.add_argument('--num-train', type=positive_int, default=2000,
                        help='training images (default: 2000)')
    parser.add_argument('--num-val', type=positive_int, default=200,
                        help='validation images (default: 200)')
    parser.add_argument('--seed', type=non_negative_int, default=0,
                        help='random seed (default: 0)')
    return parser.parse_args(argv)


def main() -> None:
    args = parse_args()
    start = time.time()
    paths = make_synthetic_coco(args.out_dir, args.num_train, args.num_val,
                                args.seed)
    total = args.num_train + args.num_val
    elapsed = time.time() - start
    print(f'{total} images in {elapsed:.1f} s '
          f'({total / max(elapsed, 1e-9):.0f} images/s)')
    for split, path in paths.items():
        print(f'{split}: {path}')


if __name__ == '__main__':
    main()

"""Write a synthetic COCO person-keypoints dataset (rendered people).

    python tools/misc/make_synthetic_coco.py \
        --out-dir data/synthetic_coco --num-train 2000 --num-val 200 --seed 0 \
        [--workers 2]

See ``litehrnet_mm.datasets.make_synthetic_coco``.
"""
import gc

gc.disable()  # until the imports are done: litehrnet_mm/cli/startup.py
import argparse
import os
import time
from typing import List, Optional

from litehrnet_mm.cli.arg_types import positive_int
from litehrnet_mm.cli.run_args import generator_parser
from litehrnet_mm.cli.startup import libraries_loaded
from litehrnet_mm.datasets import make_synthetic_coco

libraries_loaded()


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = generator_parser(
        'Write a synthetic COCO person-keypoints dataset')
    parser.add_argument(
        '--workers', type=positive_int, default=len(os.sched_getaffinity(0)),
        help='processes rendering images; the files are the same with any '
        'number (default: the CPUs this process may use)')
    return parser.parse_args(argv)


def main() -> None:
    args = parse_args()
    start = time.time()
    paths = make_synthetic_coco(args.out_dir, args.num_train, args.num_val,
                                args.seed, workers=args.workers)
    total = args.num_train + args.num_val
    elapsed = time.time() - start
    print(f'{total} images in {elapsed:.1f} s '
          f'({total / max(elapsed, 1e-9):.0f} images/s)')
    for split, path in paths.items():
        print(f'{split}: {path}')


if __name__ == '__main__':
    main()

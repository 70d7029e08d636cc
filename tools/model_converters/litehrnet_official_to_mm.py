"""Convert an official Lite-HRNet checkpoint (or an mmpose model-zoo one)
to this package's layout.

    python tools/model_converters/litehrnet_official_to_mm.py SRC DST

The official release (HRNet/Lite-HRNet, mmpose 0.x layout) stores
``state_dict`` with ``backbone.*`` and ``keypoint_head.final_layer.*`` keys,
sometimes behind ``module.``; mmpose 1.x stores ``backbone.*`` and
``head.*``. Both become ``{'state_dict': {backbone.*, head.*}, 'meta':
{...}}``. ``load_from`` accepts both originals without conversion too.
Loading uses ``torch.load(weights_only=True)``: a file whose pickle would run
code is refused.
"""
import gc

gc.disable()  # until the imports are done: litehrnet_mm/cli/startup.py
import argparse
from typing import List, Optional

import torch

import litehrnet_mm  # noqa: F401  (safe checkpoint loading)
from litehrnet_mm.checkpoint.keys import convert_state_dict
from litehrnet_mm.checkpoint.safe_loading import load_local_checkpoint
from litehrnet_mm.cli.arg_types import existing_file
from litehrnet_mm.cli.startup import libraries_loaded

libraries_loaded()


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Convert a Lite-HRNet checkpoint to litehrnet_mm')
    parser.add_argument('src', type=existing_file,
                        help='official or mmpose checkpoint')
    parser.add_argument('dst', help='converted checkpoint')
    return parser.parse_args(argv)


def main() -> None:
    args = parse_args()
    checkpoint = load_local_checkpoint(args.src, map_location='cpu')
    state = convert_state_dict(checkpoint)
    torch.save(
        dict(state_dict=state,
             meta=dict(converted_from=args.src,
                       litehrnet_mm_version=litehrnet_mm.__version__)),
        args.dst)
    heads = [k for k in state if k.startswith('head.')]
    print(f'{len(state)} tensors ({len(heads)} of the head) -> {args.dst}')


if __name__ == '__main__':
    main()

"""Export a Lite-HRNet segmentation model of this project to ONNX.

    python projects/litehrnet_seg/tools/pytorch2onnx.py CONFIG CHECKPOINT \
        --output-file seg.onnx [--shape 1 3 512 1024] [--dynamic-batch] \
        [--deploy] [--verify]

The graph maps a normalized image batch ``images`` (N, 3, H, W) to class
logits ``seg_logits`` (N, classes, H, W), as mmseg's ``'whole'`` inference
computes them; normalization and the argmax stay outside. Run it from the
repository root (the config imports ``projects.litehrnet_seg.models``).
"""
import gc

gc.disable()  # until the imports are done: litehrnet_mm/cli/startup.py
import argparse
from typing import List, Optional

import litehrnet_mm  # noqa: F401
from litehrnet_mm.cli.arg_types import existing_file, positive_int
from litehrnet_mm.cli.run_args import allow_project_imports
from litehrnet_mm.cli.startup import libraries_loaded
from litehrnet_mm.deploy import (
    VERIFY_TOLERANCE,
    export_and_verify,
    switch_to_deploy,
)

libraries_loaded()


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Export a segmentation model to ONNX')
    parser.add_argument('config', type=existing_file, help='model config')
    parser.add_argument('checkpoint', type=existing_file, help='checkpoint')
    parser.add_argument('--output-file', required=True,
                        help='.onnx file (its folder is made if missing)')
    parser.add_argument('--shape', type=positive_int, nargs=4,
                        default=[1, 3, 512, 1024],
                        metavar=('N', 'C', 'H', 'W'), help='input shape')
    parser.add_argument('--dynamic-batch', action='store_true',
                        help='let the batch size vary')
    parser.add_argument('--deploy', action='store_true',
                        help='export the deploy-mode network (batch norms '
                        'folded, fixed pooling)')
    parser.add_argument('--verify', action='store_true',
                        help='compare with onnxruntime (max abs <= '
                        f'{VERIFY_TOLERANCE:g})')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    allow_project_imports()
    from mmseg.apis import init_model

    from projects.litehrnet_seg.models import SegmentationNetwork
    model = init_model(args.config, args.checkpoint, device='cpu')
    if args.deploy:
        switch_to_deploy(model)
    network = SegmentationNetwork(model).eval()
    export_and_verify(network, args.output_file, args.shape,
                      args.dynamic_batch, output_name='seg_logits',
                      verify=args.verify)

if __name__ == '__main__':
    main()

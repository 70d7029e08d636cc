"""Export a litehrnet_mm pose network (backbone + head) to ONNX, and
optionally quantize it to INT8.

    python tools/deployment/pytorch2onnx.py CONFIG CHECKPOINT \
        --output-file model.onnx --shape 1 3 256 192 [--dynamic-batch] \
        [--deploy] [--verify] \
        [--int8 model_int8.onnx [--calib-images 128] [--calib-split train]
         [--calib-method MinMax] [--int8-ops Conv] [--int8-depthwise]]

The graph maps a normalized image batch ``images`` (N, 3, H, W) to keypoint
heatmaps ``heatmaps`` (N, K, H/4, W/4); the mean/std normalization and the
heatmap decoding stay outside, as in mmpose's deployments.

``--int8`` also writes the exported graph quantized
(``litehrnet_mm.deploy.quantize_int8``), calibrated on person crops of the
config's ``--calib-split`` dataset (its annotations and images, through its
test pipeline; point the config at them with ``--cfg-options``). Evaluate
either file with ``tools/deployment/test_onnx.py``.
"""
import gc

gc.disable()  # until the imports are done: litehrnet_mm/cli/startup.py
import argparse
from typing import List, Optional

from mmengine.config import DictAction
from mmpose.apis import init_model

import litehrnet_mm  # noqa: F401
from litehrnet_mm.cli.arg_types import existing_file, positive_int
from litehrnet_mm.cli.startup import libraries_loaded
from litehrnet_mm.deploy import (
    CALIBRATION_METHODS,
    VERIFY_TOLERANCE,
    calibration_images,
    export_and_verify,
    quantize_int8,
    switch_to_deploy,
)

libraries_loaded()


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Export to ONNX')
    parser.add_argument('config', type=existing_file, help='model config')
    parser.add_argument('checkpoint', type=_checkpoint_or_none,
                        help='checkpoint (or "none" for the config\'s '
                        'initialization)')
    parser.add_argument('--output-file', required=True,
                        help='.onnx file (its folder is made if missing)')
    parser.add_argument('--shape', type=positive_int, nargs=4,
                        default=[1, 3, 256, 192],
                        metavar=('N', 'C', 'H', 'W'), help='input shape')
    parser.add_argument('--dynamic-batch', action='store_true',
                        help='let the batch size vary')
    parser.add_argument('--deploy', action='store_true',
                        help='export the deploy-mode network (batch norms '
                        'folded, fixed pooling)')
    parser.add_argument('--opset', type=_opset, default=18,
                        help='ONNX opset (>= 17, default 18)')
    parser.add_argument('--verify', action='store_true',
                        help='compare with onnxruntime (max abs <= '
                        f'{VERIFY_TOLERANCE:g})')
    parser.add_argument('--int8', metavar='INT8_FILE',
                        help='also write the graph quantized to INT8 here')
    parser.add_argument('--calib-images', type=positive_int, default=128,
                        help='person crops to calibrate on (default 128)')
    parser.add_argument('--calib-split', default='train',
                        choices=['train', 'val', 'test'],
                        help="whose dataset to crop (default 'train')")
    parser.add_argument('--calib-method', default='MinMax',
                        choices=CALIBRATION_METHODS,
                        help="activation range calibration (default MinMax)")
    parser.add_argument('--int8-ops', nargs='*', default=['Conv'],
                        help='operator types to quantize (default Conv; '
                        'none given: all)')
    parser.add_argument('--int8-depthwise', action='store_true',
                        help='quantize depthwise convolutions too')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config entries (e.g. the '
                        'calibration data), as key=value pairs')
    return parser.parse_args(argv)


def _checkpoint_or_none(text: str) -> str:
    return text if text == 'none' else existing_file(text)


def _opset(text: str) -> int:
    opset = positive_int(text)
    if opset < 17:
        raise argparse.ArgumentTypeError(
            f'{opset}: the exporter takes opset 17 or newer')
    return opset


def main() -> None:
    args = parse_args()
    checkpoint = None if args.checkpoint == 'none' else args.checkpoint
    model = init_model(args.config, checkpoint, device='cpu',
                       cfg_options=args.cfg_options)
    if args.deploy:
        switch_to_deploy(model)
    model.eval()
    export_and_verify(model, args.output_file, args.shape,
                      args.dynamic_batch, args.opset, verify=args.verify)
    if args.int8:
        images = calibration_images(model.cfg, args.calib_images,
                                    args.calib_split)
        quantize_int8(args.output_file, args.int8, images,
                      args.calib_method, args.int8_ops,
                      float_depthwise=not args.int8_depthwise)
        quantized = ' '.join(args.int8_ops) or 'every operator'
        if not args.int8_depthwise:
            quantized += ', depthwise convolutions in float'
        print(f'quantized {args.int8} (INT8: {quantized}; '
              f'{args.calib_method} calibration on {len(images)} '
              f'{args.calib_split} crops)')


if __name__ == '__main__':
    main()

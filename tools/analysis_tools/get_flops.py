"""Parameters and FLOPs of a pose model (or a segmentation model of
projects/litehrnet_seg), counted by ``mmengine.analysis``.

    python tools/analysis_tools/get_flops.py CONFIG [--input-shape H W]

Convention: ``mmengine.analysis`` counts one multiply-add as one FLOP and
includes every operator it has a handle for (convolutions, norms, pooling,
element-wise products); it has none for nearest upsampling, which this
package does inside the sum or product that uses it. The Lite-HRNet paper
does not state its convention. The count is of the inference graph (each
fusion downsamples the highest-resolution branch once). The backbone-only
count is printed beside the whole model's; the README's table lists them
for every variant.
"""
import gc

gc.disable()  # until the imports are done: litehrnet_mm/cli/startup.py
import argparse
from typing import List, Optional

import torch
from mmengine.analysis import FlopAnalyzer, parameter_count
from mmengine.config import Config, DictAction
from mmengine.registry import init_default_scope

import litehrnet_mm  # noqa: F401
from litehrnet_mm.cli.arg_types import existing_file, positive_int
from litehrnet_mm.cli.run_args import allow_project_imports
from litehrnet_mm.cli.startup import libraries_loaded
from litehrnet_mm.deploy import network_of

libraries_loaded()


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Count params and FLOPs')
    parser.add_argument('config', type=existing_file,
                        help='model config file')
    parser.add_argument('--input-shape', type=positive_int, nargs=2,
                        metavar=('H', 'W'),
                        help='input size; default: the codec\'s input '
                        'size (pose) or the data preprocessor\'s (mmseg)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config entries')
    return parser.parse_args(argv)


def count(model: torch.nn.Module, shape) -> dict:
    """Params and FLOPs (multiply-adds) of ``model`` on one image.

    Args:
        model (nn.Module): A backbone, or a model's network
            (:func:`litehrnet_mm.deploy.network_of`: image to heatmaps or
            to class logits, no pre- or post-processing).
        shape (tuple[int, int]): Input height and width.

    Returns:
        dict: ``params``, ``flops`` and ``conv_flops`` (convolutions only).
    """
    model.eval()
    analyzer = FlopAnalyzer(model, torch.zeros(1, 3, *shape))
    analyzer.unsupported_ops_warnings(False).uncalled_modules_warnings(False)
    with torch.no_grad():  # the inference graph, as the model is deployed
        by_operator = analyzer.by_operator()
        flops = analyzer.total()
    return dict(
        params=parameter_count(model)[''],
        flops=flops,
        conv_flops=by_operator.get('conv', 0))


def main() -> None:
    args = parse_args()
    allow_project_imports()
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'litehrnet_mm'))
    from litehrnet_mm.registry import MODELS
    model = MODELS.build(cfg.model)
    if args.input_shape:
        shape = tuple(args.input_shape)
    elif 'head' in cfg.model:
        width, height = cfg.model.head.decoder.input_size
        shape = (height, width)
    elif cfg.model.data_preprocessor.get('size'):
        shape = tuple(cfg.model.data_preprocessor.size)
    else:
        raise ValueError(f'{args.config} states no input size; give one '
                         'with --input-shape H W')

    whole = count(network_of(model), shape)
    backbone = count(model.backbone, shape)
    print(f'config: {args.config}\ninput: 1x3x{shape[0]}x{shape[1]}')
    for name, c in (('model', whole), ('backbone', backbone)):
        print(f'{name:9s} params {c["params"] / 1e6:.3f}M ({c["params"]:,})'
              f'  FLOPs {c["flops"] / 1e6:.1f}M'
              f'  (convolutions {c["conv_flops"] / 1e6:.1f}M)')
    print('FLOPs: multiply-adds counted by mmengine.analysis over all '
          'supported operators; the paper does not state its convention.')


if __name__ == '__main__':
    main()

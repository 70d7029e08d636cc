"""Evaluate an exported pose network (float or INT8) with the config's test
set and metric, run by onnxruntime.

    python tools/deployment/test_onnx.py CONFIG MODEL.onnx \
        [--threads N] [--work-dir DIR] [--cfg-options key=value ...]

The config's test dataloader, pipeline, flip test, codec and evaluator run
as in ``tools/test.py``; only the network (image to heatmaps) is the ONNX
model (``litehrnet_mm.deploy.use_network``). Export it with
``--dynamic-batch`` so that it takes the dataloader's batches.
"""
import gc

gc.disable()  # until the imports are done: litehrnet_mm/cli/startup.py
import argparse
import os.path as osp
from typing import List, Optional

from mmengine.config import Config, DictAction
from mmengine.runner import Runner

import litehrnet_mm  # noqa: F401
from litehrnet_mm.cli.arg_types import existing_file, positive_int
from litehrnet_mm.cli.startup import libraries_loaded
from litehrnet_mm.deploy import OnnxRuntimeNetwork, use_network

libraries_loaded()


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', type=existing_file, help='pose config')
    parser.add_argument('onnx_file', type=existing_file,
                        help='exported network (pytorch2onnx.py)')
    parser.add_argument('--threads', type=positive_int,
                        help="onnxruntime's threads (default: all cores)")
    parser.add_argument('--work-dir', help='logs (default: ./work_dirs/'
                        '<config>_onnx)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config entries, as key=value pairs')
    return parser.parse_args(argv)


def main() -> None:
    args = parse_args()
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    cfg.work_dir = args.work_dir or osp.join(
        './work_dirs',
        osp.splitext(osp.basename(args.config))[0] + '_onnx')
    cfg.load_from = None
    cfg.default_hooks.pop('visualization', None)
    runner = Runner.from_cfg(cfg)
    use_network(runner.model, OnnxRuntimeNetwork(args.onnx_file,
                                                  args.threads))
    metrics = runner.test()
    print(' '.join(f'{k}: {v:.4f}' for k, v in metrics.items()))


if __name__ == '__main__':
    main()

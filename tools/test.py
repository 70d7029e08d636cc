"""Test (and evaluate) a model of litehrnet_mm or of its projects (also run
by ``mim test``)."""
import gc

gc.disable()  # until the imports are done: litehrnet_mm/cli/startup.py
import argparse
import os
from typing import List, Optional

import mmengine
from mmengine.config import Config, DictAction
from mmengine.hooks import Hook
from mmengine.runner import Runner

import litehrnet_mm  # noqa: F401  (registers the litehrnet_mm scope)
from litehrnet_mm.cli.arg_types import existing_file, positive_int
from litehrnet_mm.cli.run_args import (
    allow_project_imports,
    apply_visualization,
    apply_work_dir,
)
from litehrnet_mm.cli.startup import libraries_loaded
from litehrnet_mm.engine import setup_cpu_distributed

libraries_loaded()


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Test (and evaluate) a pose model')
    parser.add_argument('config', type=existing_file,
                        help='test config file path')
    parser.add_argument('checkpoint', type=existing_file,
                        help='checkpoint file')
    parser.add_argument('--work-dir',
                        help='the directory to save evaluation results')
    parser.add_argument('--out', help='save the metrics to this file')
    parser.add_argument(
        '--dump', help='dump the predictions to this pickle file')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config entries, as key=value pairs')
    parser.add_argument('--show-dir',
                        help='save visualizations to this directory')
    parser.add_argument('--show', action='store_true',
                        help='show the results in a window')
    parser.add_argument('--interval', type=positive_int, default=1,
                        help='visualize every this many samples')
    parser.add_argument('--wait-time', type=float, default=1,
                        help='seconds each window is shown')
    parser.add_argument('--launcher',
                        choices=['none', 'pytorch', 'slurm', 'mpi'],
                        default='none', help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def merge_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Apply the command line to the config."""
    cfg.launcher = args.launcher
    cfg.load_from = args.checkpoint
    apply_work_dir(cfg, args)
    apply_visualization(cfg, args)
    if args.dump is not None:
        if not args.dump.endswith(('.pkl', '.pickle')):
            raise ValueError(f'--dump must name a .pkl file, got {args.dump}')
        evaluators = cfg.test_evaluator
        if not isinstance(evaluators, (list, tuple)):
            evaluators = [evaluators]
        cfg.test_evaluator = [
            *evaluators, dict(type='DumpResults', out_file_path=args.dump)
        ]
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    return cfg


class SaveMetricHook(Hook):
    """Write the test metrics to a file."""

    def __init__(self, out_file: str):
        self.out_file = out_file

    def after_test_epoch(self, runner, metrics=None) -> None:
        if metrics is not None:
            mmengine.dump(metrics, self.out_file)


def main() -> None:
    args = parse_args()
    allow_project_imports()
    cfg = merge_args(Config.fromfile(args.config), args)
    setup_cpu_distributed(cfg, args.launcher)
    runner = Runner.from_cfg(cfg)
    if args.out:
        runner.register_hook(SaveMetricHook(args.out), 'LOWEST')
    runner.test()


if __name__ == '__main__':
    main()

"""Train a model of litehrnet_mm or of its projects (also run by ``mim
train``)."""
import gc

gc.disable()  # until the imports are done: litehrnet_mm/cli/startup.py
import argparse
import os
from typing import List, Optional

from mmengine.config import Config, DictAction
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
    parser = argparse.ArgumentParser(description='Train a pose model')
    parser.add_argument('config', type=existing_file,
                        help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume', nargs='?', type=_checkpoint_or_auto, const='auto',
        help='resume from this checkpoint, or, without a path, from the '
        'latest checkpoint in the work directory')
    parser.add_argument('--amp', action='store_true',
                        help='automatic mixed-precision training')
    parser.add_argument('--no-validate', action='store_true',
                        help='do not evaluate during training')
    parser.add_argument(
        '--auto-scale-lr', action='store_true',
        help='scale the learning rate by the actual total batch size '
        'against the config\'s auto_scale_lr.base_batch_size')
    parser.add_argument('--show-dir',
                        help='save visualizations of validation to this dir')
    parser.add_argument('--show', action='store_true',
                        help='show validation results in a window')
    parser.add_argument('--interval', type=positive_int, default=1,
                        help='visualize every this many samples')
    parser.add_argument('--wait-time', type=float, default=1,
                        help='seconds each window is shown')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config entries, as key=value pairs (nested keys with '
        'dots, lists as key="[a,b]")')
    parser.add_argument('--launcher',
                        choices=['none', 'pytorch', 'slurm', 'mpi'],
                        default='none', help='job launcher')
    # torch.distributed.launch passes --local-rank (torch >= 2.0) or
    # --local_rank (older)
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args



def _checkpoint_or_auto(text: str) -> str:
    return text if text == 'auto' else existing_file(text)


def merge_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Apply the command line to the config."""
    cfg.launcher = args.launcher
    if args.no_validate:
        cfg.val_cfg = None
        cfg.val_dataloader = None
        cfg.val_evaluator = None
    apply_work_dir(cfg, args)
    if args.amp:
        wrapper = cfg.optim_wrapper.get('type', 'OptimWrapper')
        if wrapper not in ('OptimWrapper', 'AmpOptimWrapper'):
            raise ValueError(f'--amp needs OptimWrapper or AmpOptimWrapper; '
                             f'the config uses {wrapper}')
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif args.resume is not None:
        cfg.resume = True
        cfg.load_from = args.resume
    if args.auto_scale_lr:
        if 'auto_scale_lr' not in cfg:
            raise ValueError('--auto-scale-lr needs `auto_scale_lr = dict('
                             'base_batch_size=...)` in the config')
        cfg.auto_scale_lr.enable = True
    apply_visualization(cfg, args)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    return cfg


def main() -> None:
    args = parse_args()
    allow_project_imports()
    cfg = merge_args(Config.fromfile(args.config), args)
    setup_cpu_distributed(cfg, args.launcher)
    runner = Runner.from_cfg(cfg)
    runner.train()


if __name__ == '__main__':
    main()

"""Command-line options shared by the tools: ``tools/train.py`` and
``tools/test.py``, the synthetic dataset generators."""
import argparse
import os
import os.path as osp
import sys

from mmengine.config import Config

from .arg_types import non_negative_int, positive_int


def allow_project_imports() -> None:
    """Let a config's ``custom_imports`` name modules under the current
    folder, as ``projects.litehrnet_seg.models`` from the repository root
    (``python -m`` would find them there too; a script's own folder is what
    Python puts on ``sys.path`` instead)."""
    cwd = os.getcwd()
    if cwd not in sys.path:
        sys.path.append(cwd)


def apply_work_dir(cfg: Config, args: argparse.Namespace) -> None:
    """``--work-dir``, else the config's, else ``./work_dirs/<config>``."""
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])


def apply_visualization(cfg: Config, args: argparse.Namespace) -> None:
    """``--show``, ``--show-dir``, ``--interval`` and ``--wait-time`` on the
    config's ``PoseVisualizationHook`` (or mmseg's ``SegVisualizationHook``,
    which saves through the visualizer's ``save_dir``)."""
    if not (args.show or args.show_dir is not None):
        return
    if 'visualization' not in cfg.default_hooks:
        raise ValueError('--show/--show-dir need '
                         "default_hooks.visualization = dict("
                         "type='PoseVisualizationHook') in the config")
    vis = cfg.default_hooks.visualization
    if vis.type == 'SegVisualizationHook':
        vis.draw = True
        vis.show = args.show
        vis.wait_time = args.wait_time
        vis.interval = args.interval
        if args.show_dir is not None:
            cfg.visualizer.save_dir = args.show_dir
        return
    vis.enable = True
    vis.show = args.show
    vis.wait_time = args.wait_time
    vis.out_dir = args.show_dir
    vis.interval = args.interval


def generator_parser(description: str) -> argparse.ArgumentParser:
    """A parser with the synthetic dataset generators' common options:
    ``--out-dir``, ``--num-train`` (2000), ``--num-val`` (200) and
    ``--seed`` (0).

    Args:
        description (str): What the tool writes.

    Returns:
        argparse.ArgumentParser: The parser, for a tool to add its own.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument('--out-dir', required=True, help='dataset folder')
    parser.add_argument('--num-train', type=positive_int, default=2000,
                        help='training images (default: 2000)')
    parser.add_argument('--num-val', type=positive_int, default=200,
                        help='validation images (default: 200)')
    parser.add_argument('--seed', type=non_negative_int, default=0,
                        help='random seed (default: 0)')
    return parser

"""Write a quickstart's results file: the run's header, each step's time,
the training's time per iteration as its log has it, and the test metrics.

    python tools/misc/quickstart_results.py WORK_DIR \
        --steps data=27 training=303 test=17 pictures=6 total=357 \
        --metrics coco/AP coco/AR --out WORK_DIR/results.json

``tools/quickstart.sh`` and ``projects/litehrnet_seg/tools/quickstart.sh``
call it at their end; ``python -m litehrnet_mm.cli.results FILE`` prints its
tables, as the quickstart configs' READMEs quote them.
"""
import gc

gc.disable()  # until the imports are done: litehrnet_mm/cli/startup.py
import argparse
import glob
import json
import os.path as osp
import statistics
from typing import Dict, List, Optional

import torch

from litehrnet_mm.cli.arg_types import existing_dir
from litehrnet_mm.cli.results import run_header, write_results
from litehrnet_mm.cli.startup import libraries_loaded

libraries_loaded()

#: What each ``--steps`` name stands for in the table, in this order.
STEPS = dict(data='data', training='training (`mim train`)',
             test='evaluation (`mim test`)', pictures='pictures',
             total='**in all**')


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Write a quickstart run\'s results file')
    parser.add_argument('work_dir', type=existing_dir,
                        help='the quickstart\'s work directory: its '
                        'training log and metrics.json')
    parser.add_argument('--steps', nargs='+', required=True,
                        metavar='STEP=SECONDS',
                        help=f'the steps\' times, of {list(STEPS)}')
    parser.add_argument('--metrics', nargs='+', metavar='KEY',
                        help='the metrics.json entries to report (default: '
                        'all)')
    parser.add_argument('--title', default='quickstart',
                        help='what the run was, for the tables\' titles')
    parser.add_argument('--out', required=True, help='the JSON file to write')
    args = parser.parse_args(argv)
    args.steps = dict(_step(parser, text) for text in args.steps)
    return args


def _step(parser: argparse.ArgumentParser, text: str):
    name, _, seconds = text.partition('=')
    if name not in STEPS or not seconds.isdigit():
        parser.error(f'--steps takes STEP=SECONDS with STEP one of '
                     f'{list(STEPS)}, got {text!r}')
    return name, int(seconds)


def logged_iteration_times(work_dir: str) -> List[float]:
    """The training's seconds per iteration, one per logging interval, from
    the runner's scalars file in ``work_dir``.

    Raises:
        FileNotFoundError: ``work_dir`` has no training log.
    """
    for path in sorted(glob.glob(osp.join(work_dir, '*', 'vis_data',
                                          'scalars.json')), reverse=True):
        with open(path) as file:
            times = [entry['time'] for entry in map(json.loads, file)
                     if 'time' in entry and 'loss' in entry]
        if times:
            return times
    raise FileNotFoundError(f'{work_dir} has no training log '
                            '(*/vis_data/scalars.json with training losses)')


def sections(work_dir: str, steps: Dict[str, int],
             metric_keys: Optional[List[str]], title: str) -> List[dict]:
    """The results file's tables: the steps, and the test's metrics."""
    with open(osp.join(work_dir, 'metrics.json')) as file:
        metrics = json.load(file)
    missing = sorted(set(metric_keys or []) - set(metrics))
    if missing:
        raise KeyError(f'{work_dir}/metrics.json has no {missing}; it has '
                       f'{sorted(metrics)}')
    keys = metric_keys or sorted(metrics)
    times = logged_iteration_times(work_dir)
    logged = dict(iteration_s=[min(times), statistics.median(times),
                               max(times)])
    rows = [dict(name=STEPS[step], seconds=steps[step],
                 **(logged if step == 'training' else {}))
            for step in STEPS if step in steps]
    return [
        dict(title=f'{title}: time', rows=rows, columns=[
            ['step', 'name', 'text'], ['time', 'seconds', 'duration'],
            ['per iteration (logged)', 'iteration_s', 'range_s']]),
        dict(title=f'{title}: `mim test`', rows=[metrics],
             columns=[[key, key, 'metric'] for key in keys]),
    ]


def main() -> None:
    args = parse_args()
    write_results(args.out, run_header(torch.get_num_threads()),
                  sections(args.work_dir, args.steps, args.metrics,
                           args.title))
    print(f'results: {args.out}')


if __name__ == '__main__':
    main()

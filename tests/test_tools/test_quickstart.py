"""The pose quickstart runs end to end and writes its results file, and the
file's tables are what the quickstart configs' READMEs quote."""
import json
import os
import subprocess
import sys

import pytest
from helpers import REPO, copy_checkout

from litehrnet_mm.cli.results import markdown_tables, read_results

TOOL = REPO / 'tools' / 'misc' / 'quickstart_results.py'
POSE_METRICS = {'coco/AP': 0.6394, 'coco/AP .5': 0.928, 'coco/AR': 0.677,
                'coco/AP .75': 0.7213}


def _work_dir(root, metrics=POSE_METRICS, times=(0.8, 0.7, 1.1)):
    """A work directory as a quickstart leaves it: the runner's scalars
    (training losses with times, and a validation entry) and metrics."""
    vis = root / '20261204_120000' / 'vis_data'
    vis.mkdir(parents=True)
    lines = [dict(loss=1.0, time=t, iter=10 * i, step=10 * i)
             for i, t in enumerate(times, 1)]
    lines.append({'coco/AP': 0.5, 'step': 1})
    (vis / 'scalars.json').write_text(
        ''.join(json.dumps(line) + '\n' for line in lines))
    (root / 'metrics.json').write_text(json.dumps(metrics))
    return root


def _run(*args):
    return subprocess.run([sys.executable, str(TOOL), *map(str, args)],
                          capture_output=True, text=True, cwd=REPO)


def test_results_file_has_the_steps_the_log_and_the_metrics(tmp_path):
    work = _work_dir(tmp_path / 'work')
    out = tmp_path / 'results.json'
    proc = _run(work, '--steps', 'data=27', 'training=1291', 'test=17',
                'pictures=11', 'total=1350', '--metrics', 'coco/AP',
                'coco/AP .5', '--title', 'pose quickstart', '--out', out)
    assert proc.returncode == 0, proc.stderr
    results = read_results(str(out))
    assert results['header']['commit']
    tables = markdown_tables(results)
    assert tables.split('\n', 1)[1] == (
        '\npose quickstart: time:\n\n'
        '| step | time | per iteration (logged) |\n'
        '|---|---|---|\n'
        '| data | 27 s |  |\n'
        '| training (`mim train`) | 21 min 31 s | '
        '0.70-1.10 s, median 0.80 s |\n'
        '| evaluation (`mim test`) | 17 s |  |\n'
        '| pictures | 11 s |  |\n'
        '| **in all** | 22 min 30 s |  |\n'
        '\npose quickstart: `mim test`:\n\n'
        '| coco/AP | coco/AP .5 |\n'
        '|---|---|\n'
        '| 0.639 | 0.928 |\n')


def test_segmentation_metrics_are_percentages(tmp_path):
    work = _work_dir(tmp_path / 'work', dict(mIoU=72.316, aAcc=96.92))
    out = tmp_path / 'results.json'
    assert _run(work, '--steps', 'total=300', '--out', out).returncode == 0
    assert '| aAcc | mIoU |\n|---|---|\n| 96.92 | 72.32 |\n' in \
        markdown_tables(read_results(str(out)))


@pytest.mark.parametrize('change,message', [
    (['--steps', 'warmup=3'], "STEP one of ['data', 'training'"),
    (['--steps', 'data=fast'], "got 'data=fast'"),
    (['--steps', 'total=3', '--metrics', 'coco/AP (XL)'],
     "metrics.json has no ['coco/AP (XL)']"),
])
def test_wrong_arguments_say_what_is_expected(tmp_path, change, message):
    work = _work_dir(tmp_path / 'work')
    proc = _run(work, *change, '--out', tmp_path / 'results.json')
    assert proc.returncode != 0
    assert message in proc.stderr


def test_a_work_dir_without_training_log(tmp_path):
    work = tmp_path / 'work'
    work.mkdir()
    (work / 'metrics.json').write_text(json.dumps(POSE_METRICS))
    proc = _run(work, '--steps', 'total=3', '--out', tmp_path / 'r.json')
    assert 'has no training log' in proc.stderr


def test_the_pose_quickstart_runs_and_writes_its_results(tmp_path):
    """``bash tools/quickstart.sh`` as the README gives it, on 8 training
    and 4 validation images, in a copy of the repository."""
    copy = copy_checkout(tmp_path / 'repo')
    env = dict(os.environ, NUM_TRAIN='8', NUM_VAL='4')
    proc = subprocess.run(['bash', 'tools/quickstart.sh'], cwd=copy,
                          env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert '.venv is up to date' in proc.stdout
    work = copy / 'work_dirs' / 'quickstart'
    assert f'results:    {work}/results.json' in proc.stdout
    results = read_results(str(work / 'results.json'))
    steps, metrics = results['sections']
    assert steps['title'] == 'pose quickstart (8 train, 4 val images): time'
    assert [row['name'].split(' ')[0] for row in steps['rows']] == [
        'data', 'training', 'evaluation', 'pictures', '**in']
    assert sum(row['seconds'] for row in steps['rows'][:-1]) <= \
        steps['rows'][-1]['seconds']
    assert sorted(metrics['rows'][0]) == sorted(
        json.loads((work / 'metrics.json').read_text()))
    assert len(list((work / 'vis').glob('*.png'))) == 4

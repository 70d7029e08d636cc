"""The segmentation project's README commands run as pasted, from a
user's copy of the repository: the quickstart (shortened through its
environment variables), Cityscapes training (stopped once its loop starts)
and test on a generated Cityscapes-layout folder, and the ONNX export of
the quickstart's checkpoint put where it looks. (Its Python example runs in
tests/test_apis/test_openmmlab_apis.py.)"""
import json
import os
import re
import shutil
import subprocess

import cv2
import numpy as np
import pytest
from helpers import (
    LOOP_STARTS,
    REPO,
    SEG_PROJECT,
    copy_checkout,
    in_shell,
    in_shell_until,
    link_checkout,
    python_blocks,
    shell_commands,
)

from litehrnet_mm.cli.results import read_results

README = SEG_PROJECT / 'README.md'


def _cityscapes(root, images_per_split=2, size=(128, 64)):
    """Images and train-id label maps in Cityscapes' file layout and names,
    as mmseg's converter leaves them: 19 classes and 255 (ignored)."""
    rng = np.random.default_rng(0)
    width, height = size
    for split in ('train', 'val'):
        for i in range(images_per_split):
            stem = f'aachen/aachen_{i:06d}_000019'
            image = root / 'leftImg8bit' / split / f'{stem}_leftImg8bit.png'
            labels = (root / 'gtFine' / split /
                      f'{stem}_gtFine_labelTrainIds.png')
            image.parent.mkdir(parents=True, exist_ok=True)
            labels.parent.mkdir(parents=True, exist_ok=True)
            cv2.imwrite(str(image), rng.integers(
                0, 256, (height, width, 3), dtype=np.uint8))
            label = np.repeat(np.arange(width) * 19 // width, height)
            label = label.reshape(width, height).T.astype(np.uint8)
            label[:height // 8] = 255
            cv2.imwrite(str(labels), label)


@pytest.fixture(scope='module')
def checkout(tmp_path_factory):
    """A copy of the repository, for the quickstart script."""
    return copy_checkout(tmp_path_factory.mktemp('seg_checkout') / 'repo')


def _quickstart(checkout, **env) -> subprocess.CompletedProcess:
    (block, ) = python_blocks(README, 'Quickstart on the CPU (no download)',
                              language='bash')
    return subprocess.run(['bash', '-euo', 'pipefail', '-c', block],
                          cwd=checkout, env=dict(os.environ, **env),
                          capture_output=True, text=True)


def test_quickstart_runs_as_pasted(checkout):
    """All four steps and the results file, on 16 training and 4
    validation images for 2 iterations (the config's 500 take minutes)."""
    proc = _quickstart(checkout, NUM_TRAIN='16', NUM_VAL='4', ITERS='2')
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    work = checkout / 'work_dirs' / 'litehrnet_seg_quickstart'
    assert f'results:    {work}/results.json' in proc.stdout
    steps, metrics = read_results(str(work / 'results.json'))['sections']
    assert steps['title'] == ('segmentation quickstart (16 train, 4 val '
                              'images, 2 iterations): time')
    assert [row['name'].split(' ')[0] for row in steps['rows']] == [
        'data', 'training', 'evaluation', 'pictures', '**in']
    assert sorted(metrics['rows'][0]) == ['aAcc', 'mAcc', 'mIoU']
    # the schedule shortened to ITERS: each iteration logged, one checkpoint
    (scalars, ) = work.glob('*/vis_data/scalars.json')
    logged = [json.loads(line) for line in scalars.read_text().splitlines()]
    assert [entry['iter'] for entry in logged if 'loss' in entry] == [1, 2]
    assert [p.name for p in work.glob('iter_*.pth')] == ['iter_2.pth']
    assert len(list((work / 'vis').glob('*.png'))) == 4
    assert (work / 'predictions.png').is_file()


def test_quickstart_names_a_wrong_iteration_count(checkout):
    proc = _quickstart(checkout, ITERS='1')
    assert proc.returncode == 2
    assert ("ITERS is the number of training iterations, at least 2; got "
            "'1'") in proc.stderr


@pytest.fixture(scope='module')
def user_dir(tmp_path_factory, seg_trained):
    """The repository root as a user has it: the quickstart's checkpoint
    in its work folder and ``data/cityscapes``."""
    folder = link_checkout(tmp_path_factory.mktemp('seg_user'))
    checkpoint, _ = seg_trained
    work = folder / 'work_dirs' / 'litehrnet_seg_quickstart'
    work.mkdir(parents=True)
    shutil.copy(checkpoint, work / 'iter_500.pth')
    _cityscapes(folder / 'data' / 'cityscapes')
    return folder


@pytest.fixture(scope='module')
def cityscapes_commands():
    (block, ) = python_blocks(README, 'Training on Cityscapes',
                              language='bash')
    commands = shell_commands(block)
    assert len(commands) == 3, commands
    return dict(zip(('train', 'several_gpus', 'test'), commands))


def test_cityscapes_training_starts_in_one_process(user_dir,
                                                   cityscapes_commands):
    out = in_shell_until(cityscapes_commands['train'], LOOP_STARTS, user_dir)
    assert 'CityscapesDataset' in out
    assert 'fcn_litehrnet-18_4xb2-160k_cityscapes-512x1024' in out


def test_cityscapes_training_starts_on_four_processes(user_dir,
                                                      cityscapes_commands):
    """On a machine without CUDA the 4 processes start over gloo."""
    out = in_shell_until(cityscapes_commands['several_gpus'], LOOP_STARTS,
                         user_dir)
    assert 'nproc_per_node=4' in out
    assert "dist_cfg: {'backend': 'gloo'}" in out


def test_cityscapes_test_command_reports_miou(user_dir, cityscapes_commands):
    """The test command on a checkpoint of the Cityscapes model (its
    weights as initialized) put where the command looks."""
    import torch
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmseg.registry import MODELS

    command = cityscapes_commands['test']
    config = command.split('litehrnet_mm ')[1].split()[0]
    checkpoint = user_dir / command.split('--checkpoint ')[1].split()[0]
    init_default_scope('mmseg')
    model = MODELS.build(Config.fromfile(REPO / config).model)
    model.init_weights()
    checkpoint.parent.mkdir(parents=True, exist_ok=True)
    torch.save(dict(state_dict=model.state_dict(), meta={}), checkpoint)
    out = in_shell(command, user_dir).stdout
    assert re.search(r'mIoU: \d+\.\d+', out), out[-3000:]


def test_export_command_runs_as_pasted(user_dir):
    (block, ) = python_blocks(README, 'Inference, deploy mode, ONNX',
                              language='bash')
    out = in_shell(block, user_dir).stdout
    assert (user_dir / 'seg.onnx').is_file()
    assert 'input 1x3x512x1024' in out
    diff = re.search(r'onnxruntime vs PyTorch: max abs difference (\S+)',
                     out).group(1)
    assert float(diff) <= 1e-4

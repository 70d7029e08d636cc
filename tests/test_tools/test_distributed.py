"""Distributed training on a CPU-only machine: two processes over gloo,
through mim and through tools/dist_train.sh; Slurm scripts' commands."""
import os

import pytest
import torch
from helpers import COCO_CONFIG, MIM, REPO, coco_cfg_options, run

pytestmark = pytest.mark.skipif(torch.cuda.is_available(),
                                reason='tests the CPU-only path')


def _two_process_options(coco_root):
    # 4 training images, 2 per process and batch: one iteration each
    return coco_cfg_options(coco_root)


def test_mim_train_with_the_pytorch_launcher_on_two_processes(
        coco_root, tmp_path):
    work = tmp_path / 'work'
    proc = run([
        MIM, 'train', 'litehrnet_mm', COCO_CONFIG, '--launcher', 'pytorch',
        '--gpus', '2', '--work-dir', work, '--cfg-options',
        *_two_process_options(coco_root)
    ], cwd=tmp_path)
    output = proc.stdout + proc.stderr
    assert 'torch.distributed.launch --nproc_per_node=2' in output
    assert "dist_cfg: {'backend': 'gloo'}" in output
    assert 'Distributed training: True' in output
    assert 'GPU number: 2' in output  # mmengine's name for the world size
    assert (work / 'epoch_1.pth').is_file()


def test_dist_train_script_on_two_processes(coco_root, tmp_path):
    work = tmp_path / 'work'
    env = dict(os.environ, PORT='29611')
    proc = run([
        'bash', REPO / 'tools' / 'dist_train.sh', COCO_CONFIG, '2',
        '--work-dir', work, '--cfg-options',
        *_two_process_options(coco_root)
    ], cwd=tmp_path, env=env)
    output = proc.stdout + proc.stderr
    assert "dist_cfg: {'backend': 'gloo'}" in output
    assert 'GPU number: 2' in output
    assert (work / 'epoch_1.pth').is_file()


@pytest.mark.parametrize('script, args, expected', [
    ('slurm_train.sh', ['part', 'job', 'cfg.py', 'work', '--amp'],
     ['-p part', '--job-name=job', '--ntasks=16', '--ntasks-per-node=8',
      'tools/train.py cfg.py --work-dir=work --launcher slurm --amp']),
    ('slurm_test.sh', ['part', 'job', 'cfg.py', 'ckpt.pth'],
     ['-p part', '--ntasks=16',
      'tools/test.py cfg.py ckpt.pth --launcher slurm']),
])
def test_slurm_scripts_run_our_tools(tmp_path, script, args, expected):
    srun = tmp_path / 'srun'
    srun.write_text('#!/bin/sh\necho "srun $*"\n')
    srun.chmod(0o755)
    env = dict(os.environ, PATH=f'{tmp_path}:{os.environ["PATH"]}',
               GPUS='16')
    out = run(['bash', REPO / 'tools' / script, *args], env=env).stdout
    for piece in expected:
        assert piece in out, (piece, out)

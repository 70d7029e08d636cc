"""Shared fixtures: small datasets the tests generate, never download."""
from pathlib import Path

import pytest
from helpers import COCO_CONFIG, MIM, coco_cfg_options, run

from litehrnet_mm.datasets import make_synthetic_coco


@pytest.fixture(scope='session')
def coco_root(tmp_path_factory) -> Path:
    """A generated COCO-format dataset: 4 train and 2 val images."""
    root = tmp_path_factory.mktemp('coco')
    make_synthetic_coco(root, num_train=4, num_val=2, progress=False)
    return root


@pytest.fixture(scope='session')
def mim_trained(coco_root, tmp_path_factory):
    """One tiny `mim train` run of the COCO Lite-HRNet-18 config (one
    epoch on :func:`coco_root`): ``(work_dir, completed process)``."""
    work_dir = tmp_path_factory.mktemp('mim_train')
    proc = run([
        MIM, 'train', 'litehrnet_mm', COCO_CONFIG.name, '--work-dir',
        work_dir, '--cfg-options', *coco_cfg_options(coco_root)
    ], cwd=work_dir)
    return work_dir, proc


@pytest.fixture(scope='session')
def lite18_checkpoint(mim_trained) -> Path:
    """The Lite-HRNet-18 (COCO, 17 keypoints) checkpoint of
    :func:`mim_trained`."""
    return mim_trained[0] / 'epoch_1.pth'

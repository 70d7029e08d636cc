"""Shared fixtures: small datasets the tests generate, never download."""
from pathlib import Path

import pytest
from helpers import COCO_CONFIG, MIM, coco_cfg_options, make_coco_dataset, run


@pytest.fixture(scope='session')
def coco_root(tmp_path_factory) -> Path:
    """A generated COCO-format dataset: 4 train and 2 val images."""
    return make_coco_dataset(tmp_path_factory.mktemp('coco'))


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

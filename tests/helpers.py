"""Helpers of the test suite: generated data, subprocesses, parity set-up."""
import os.path as osp
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CONFIGS = REPO / 'configs'
COCO_CONFIG = (CONFIGS / 'body_2d_keypoint/topdown_heatmap/coco/'
               'td-hm_litehrnet-18_8xb64-210e_coco-256x192.py')


def coco_cfg_options(root: Path, max_epochs: int = 1) -> list:
    """``--cfg-options`` that point a COCO config at a generated dataset and
    shrink the run to a few iterations on the CPU."""
    ann = osp.join(root, 'annotations')
    options = [
        f'train_dataloader.dataset.data_root={root}/',
        'train_dataloader.dataset.ann_file=annotations/'
        'person_keypoints_train.json',
        'train_dataloader.dataset.data_prefix.img=train/',
        'train_dataloader.batch_size=2',
        'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
    ]
    for split in ('val', 'test'):
        options += [
            f'{split}_dataloader.dataset.data_root={root}/',
            f'{split}_dataloader.dataset.ann_file=annotations/'
            'person_keypoints_val.json',
            f'{split}_dataloader.dataset.data_prefix.img=val/',
            f'{split}_dataloader.dataset.bbox_file=None',
            f'{split}_dataloader.batch_size=2',
            f'{split}_dataloader.num_workers=0',
            f'{split}_dataloader.persistent_workers=False',
            f'{split}_evaluator.ann_file={ann}/person_keypoints_val.json',
        ]
    options += [
        f'train_cfg.max_epochs={max_epochs}',
        'train_cfg.val_interval=1',
        'default_hooks.logger.interval=1',
    ]
    return options


def run(cmd: list, cwd: Path = REPO, timeout: int = 600,
        env: dict = None) -> subprocess.CompletedProcess:
    """Run a command; on failure, fail the test with its output."""
    proc = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, capture_output=True, text=True,
        timeout=timeout, env=env)
    if proc.returncode != 0:
        pytest.fail(f'{cmd} exited {proc.returncode}\n--- stdout\n'
                    f'{proc.stdout[-4000:]}\n--- stderr\n'
                    f'{proc.stderr[-4000:]}')
    return proc


PYTHON = sys.executable
MIM = str(Path(sys.executable).with_name('mim'))


def randomize_like_trained(model, seed: int = 0, size=(64, 64),
                           gain=(0.5, 1.5)) -> None:
    """Give a model's norm layers trained-looking parameters and statistics.

    Norm weights (uniform in ``gain``) and biases are drawn at random;
    running statistics are then estimated on random images, so activations
    stay bounded through the whole network and a comparison of outputs means
    something.
    Conv weights keep PyTorch's default random initialisation.
    """
    import torch
    g = torch.Generator().manual_seed(seed)
    norms = [m for m in model.modules()
             if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    with torch.no_grad():
        for m in norms:
            low, high = gain
            m.weight.copy_(
                torch.rand(m.weight.shape, generator=g) * (high - low) + low)
            m.bias.copy_(torch.randn(m.bias.shape, generator=g) * 0.2)
            m.momentum = None  # cumulative average
        model.train()
        for _ in range(3):
            model(torch.randn(4, 3, *size, generator=g))
        for m in norms:
            m.momentum = 0.1
    model.eval()


def build_runner(config, coco_root: Path, work_dir: Path, **cfg):
    """An mmengine Runner for ``config`` on the generated dataset (the
    :func:`coco_cfg_options` overrides), with further ``cfg`` entries."""
    from mmengine.config import Config, DictAction
    from mmengine.runner import Runner
    config = Config.fromfile(config)
    for option in coco_cfg_options(coco_root):
        key, value = option.split('=', 1)
        config.merge_from_dict({key: DictAction._parse_iterable(value)})
    config.merge_from_dict(dict(work_dir=str(work_dir), **cfg))
    return Runner.from_cfg(config)

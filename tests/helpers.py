"""Helpers of the test suite: generated data, subprocesses, parity set-up."""
import json
import os.path as osp
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]
CONFIGS = REPO / 'configs'
COCO_CONFIG = (CONFIGS / 'body_2d_keypoint/topdown_heatmap/coco/'
               'td-hm_litehrnet-18_8xb64-210e_coco-256x192.py')

# A standing person in a 192x256 box: COCO's 17 keypoints, (x, y) in box
# units (0..1).
_PERSON = np.array([
    [.50, .08], [.54, .06], [.46, .06], [.58, .08], [.42, .08],  # face
    [.66, .22], [.34, .22], [.74, .40], [.26, .40], [.78, .56],  # arms
    [.22, .56], [.60, .55], [.40, .55], [.62, .76], [.38, .76],  # hips, knees
    [.63, .96], [.37, .96]  # ankles
])


def make_coco_dataset(root: Path, splits=(('train', 4), ('val', 2)),
                      seed: int = 0, num_keypoints: int = 17) -> Path:
    """Write a small top-down COCO-format keypoint dataset.

    Every image holds one or two people: a dot and a limb per keypoint on a
    noisy background, their keypoints labelled visible.

    Args:
        root (Path): Output folder; gets ``annotations/person_keypoints_
            {split}.json`` and ``{split}/*.jpg``.
        splits (sequence): ``(name, number of images)`` pairs.
        seed (int): Random seed.
        num_keypoints (int): Keypoints per person (the first
            ``num_keypoints`` of COCO's skeleton).

    Returns:
        Path: ``root``.
    """
    rng = np.random.default_rng(seed)
    (root / 'annotations').mkdir(parents=True, exist_ok=True)
    ann_id = 0
    for split, num_images in splits:
        (root / split).mkdir(exist_ok=True)
        images, annotations = [], []
        for i in range(num_images):
            image_id = len(images) + 1 + (1000 if split == 'val' else 0)
            h, w = 240, 320
            image = rng.integers(0, 80, (h, w, 3), dtype=np.uint8)
            for _ in range(rng.integers(1, 3)):
                bw, bh = rng.uniform(60, 110), rng.uniform(120, 180)
                x0, y0 = rng.uniform(0, w - bw), rng.uniform(0, h - bh)
                points = _PERSON[:num_keypoints] * [bw, bh] + [x0, y0]
                points += rng.normal(0, 2, points.shape)
                for a, b in zip(points[:-1], points[1:]):
                    cv2.line(image, tuple(map(int, a)), tuple(map(int, b)),
                             (200, 180, 160), 3)
                for k, (x, y) in enumerate(points):
                    color = (255, 40 + 12 * k, 255 - 12 * k)
                    cv2.circle(image, (int(x), int(y)), 3, color, -1)
                ann_id += 1
                keypoints = np.concatenate(
                    [points, np.full((len(points), 1), 2)], axis=1)
                annotations.append(
                    dict(
                        id=ann_id,
                        image_id=image_id,
                        category_id=1,
                        bbox=[x0, y0, bw, bh],
                        area=bw * bh,
                        iscrowd=0,
                        num_keypoints=int(num_keypoints),
                        keypoints=keypoints.ravel().round(2).tolist()))
            name = f'{image_id:012d}.jpg'
            cv2.imwrite(str(root / split / name), image)
            images.append(
                dict(id=image_id, file_name=name, height=h, width=w))
        categories = [
            dict(id=1, name='person', supercategory='person',
                 keypoints=[f'kpt{k}' for k in range(num_keypoints)],
                 skeleton=[])
        ]
        with open(root / 'annotations' / f'person_keypoints_{split}.json',
                  'w') as f:
            json.dump(
                dict(images=images, annotations=annotations,
                     categories=categories), f)
    return root


def coco_cfg_options(root: Path, work_dir: Path = None,
                     max_epochs: int = 1) -> list:
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


def randomize_like_trained(model, seed: int = 0, size=(64, 64)) -> None:
    """Give a model's norm layers trained-looking parameters and statistics.

    Norm weights and biases are drawn at random; running statistics are
    then estimated on random images, so activations stay of order one
    through the whole network and a comparison of outputs means something.
    Conv weights keep PyTorch's default random initialisation.
    """
    import torch
    g = torch.Generator().manual_seed(seed)
    norms = [m for m in model.modules()
             if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    with torch.no_grad():
        for m in norms:
            m.weight.copy_(torch.rand(m.weight.shape, generator=g) + 0.5)
            m.bias.copy_(torch.randn(m.bias.shape, generator=g) * 0.2)
            m.momentum = None  # cumulative average
        model.train()
        for _ in range(3):
            model(torch.randn(4, 3, *size, generator=g))
        for m in norms:
            m.momentum = 0.1
    model.eval()

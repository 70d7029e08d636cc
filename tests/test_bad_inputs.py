"""Wrong inputs a user can give the entry points, one row each: every one
raises an error of a fitting type whose message names the input and says
what was expected (never an AttributeError or IndexError from inside)."""
import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch
from helpers import (
    COCO_CONFIG,
    CONFIGS,
    LITE30_CONFIG,
    MPII_CONFIG,
    build_runner,
)
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmengine.structures import InstanceData, PixelData
from mmpose.apis import init_model
from mmpose.structures import PoseDataSample

from litehrnet_mm.apis import inference_topdown
from litehrnet_mm.checkpoint.safe_loading import (
    CheckpointLoadError,
    UnsafeCheckpointError,
)
from litehrnet_mm.checkpoint.weights_fit import WeightsMismatchError
from litehrnet_mm.registry import DATASETS, MODELS


class _Code:
    """Unpickles as a function call."""

    def __reduce__(self):
        return os.getcwd, ()


@pytest.fixture(scope='module')
def files(lite18_checkpoint, tmp_path_factory):
    """Weight files, good and bad."""
    root = tmp_path_factory.mktemp('weights')
    good = lite18_checkpoint
    truncated = root / 'truncated.pth'
    truncated.write_bytes(good.read_bytes()[:5000])
    text = root / 'notes.pth'
    text.write_text('not weights')
    code = root / 'code.pth'
    torch.save({'state_dict': _Code()}, code)
    empty = root / 'no_weights.pth'
    torch.save({'meta': {'epoch': 1}}, empty)
    return dict(good=str(good), truncated=str(truncated), text=str(text),
                code=str(code), empty=str(empty), folder=str(root),
                missing=str(root / 'missing.pth'))


@pytest.fixture(scope='module')
def coco_model():
    return init_model(str(COCO_CONFIG), None, device='cpu')


def _init(config, weights):
    return lambda files, **_: init_model(str(config), files[weights],
                                         device='cpu')


def _forward(make_input):
    return lambda coco_model, **_: coco_model.backbone(make_input())


def _build_backbone(**changes):
    def build(coco_model, **_):
        cfg = dict(coco_model.cfg.model.backbone)
        extra = dict(cfg['extra'])
        extra['stages_spec'] = dict(extra['stages_spec'],
                                    **changes.pop('stages_spec', {}))
        cfg.update(extra=extra, **changes)
        with DefaultScope.overwrite_default_scope('litehrnet_mm'):
            return MODELS.build(cfg)
    return build


def _head_loss(keypoints, size):
    """The COCO model's head against targets of another keypoint count or
    heatmap size (what a dataset or a codec of another config gives)."""
    def loss(coco_model, **_):
        sample = PoseDataSample(
            gt_fields=PixelData(heatmaps=torch.zeros(keypoints, *size)),
            gt_instance_labels=InstanceData(
                keypoint_weights=torch.ones(1, keypoints)))
        feats = coco_model.extract_feat(torch.rand(1, 3, 256, 192))
        return coco_model.head.loss(feats, [sample])
    return loss


def _head_forward(channels):
    return lambda coco_model, **_: coco_model.head(
        (torch.rand(1, channels, 64, 48), ))


def _infer(img=None, bboxes=None, bbox_format='xyxy'):
    """litehrnet_mm's inference_topdown on a generated image (the file
    unless an image or another path is given)."""
    def infer(coco_model, coco_root, tmp_path, **_):
        image = img(coco_root, tmp_path) if img else sorted(
            (coco_root / 'val').glob('*.jpg'))[0]
        return inference_topdown(coco_model, image, bboxes, bbox_format)
    return infer


def _text_file(coco_root, tmp_path):
    path = tmp_path / 'photo.jpg'
    path.write_text('not an image')
    return str(path)


def _runner_load(config, weights, **cfg):
    def load(files, coco_root, tmp_path, **_):
        runner = build_runner(config, coco_root, tmp_path,
                              load_from=files[weights], **cfg)
        runner.load_or_resume()
    return load


def _runner_without_seeding(coco_root, tmp_path, **_):
    pipeline = Config.fromfile(COCO_CONFIG).train_pipeline[1:]
    runner = build_runner(COCO_CONFIG, coco_root, tmp_path,
                          train_dataloader=dict(dataset=dict(
                              pipeline=pipeline)))
    return runner.train_dataloader

HAND_CONFIG = (CONFIGS / 'hand_2d_keypoint/topdown_heatmap/'
               'coco_wholebody_hand/td-hm_litehrnet-18_8xb32-210e_coco-wholebody-hand-256x256.py')


def _dataset(edit, config=COCO_CONFIG, images='all'):
    """The config's training dataset built on the generated validation
    annotations as ``edit`` changed them (``edit`` returns the new content:
    JSON, or text, or a Path to give as the annotation file), over all the
    images, or one."""
    def build(coco_root, tmp_path, **_):
        coco = json.loads((coco_root / 'annotations' /
                           'person_keypoints_val.json').read_text())
        ann_file = edit(coco, tmp_path)
        if not isinstance(ann_file, Path):
            content = ann_file
            ann_file = tmp_path / 'ann.json'
            ann_file.write_text(content if isinstance(content, str) else
                                json.dumps(content))
        img_dir = coco_root / 'val'
        if images == 'one':
            img_dir = tmp_path / 'one_image'
            img_dir.mkdir()
            shutil.copy(coco_root / 'val' / coco['images'][0]['file_name'],
                        img_dir)
        cfg = Config.fromfile(config).train_dataloader.dataset
        cfg.update(data_root='', ann_file=str(ann_file),
                   data_prefix=dict(img=f'{img_dir}/'))
        with DefaultScope.overwrite_default_scope('litehrnet_mm'):
            return DATASETS.build(cfg)
    return build


def _drop_last_keypoint(coco, _):
    for ann in coco['annotations']:
        ann['keypoints'] = ann['keypoints'][:-3]
    return coco


def _without(key):
    def edit(coco, _):
        for ann in coco['annotations']:
            del ann[key]
        return coco
    return edit


def _unknown_image(coco, _):
    coco['annotations'][1]['image_id'] = 999
    return coco


# (name, action, error type, what the message must name)
ROWS = [
    # weight files, through mmpose's init_model (and every loading path)
    ('weights: missing file', _init(COCO_CONFIG, 'missing'),
     FileNotFoundError, ['missing.pth']),
    ('weights: a folder', _init(COCO_CONFIG, 'folder'), IsADirectoryError,
     ['weights', 'is a folder']),
    ('weights: truncated file', _init(COCO_CONFIG, 'truncated'),
     CheckpointLoadError, ['truncated.pth', 'truncated or corrupt']),
    ('weights: not a checkpoint', _init(COCO_CONFIG, 'text'),
     CheckpointLoadError, ['notes.pth', 'not a PyTorch checkpoint']),
    ('weights: a pickle that calls a function', _init(COCO_CONFIG, 'code'),
     UnsafeCheckpointError, ['code.pth', 'getcwd']),
    ('weights: another variant', _init(LITE30_CONFIG, 'good'),
     WeightsMismatchError, ['epoch_1.pth', "LiteHRNet (at 'backbone.')",
                            'backbone.stage0.2.']),
    ('weights: another keypoint set', _init(MPII_CONFIG, 'good'),
     WeightsMismatchError, ['epoch_1.pth', 'head.final_layer.weight',
                            '(17, 40, 1, 1) vs (16, 40, 1, 1)']),
    ('weights: a checkpoint without weights', _init(COCO_CONFIG, 'empty'),
     WeightsMismatchError, ['no_weights.pth', 'keys missing from the weights',
                            'backbone.stem.conv1.conv.weight']),
    # tensors given to the model
    ('tensor: a numpy array', _forward(lambda: np.zeros((1, 3, 64, 64))),
     TypeError, ['ndarray', '(N, 3, H, W)']),
    ('tensor: no batch dimension', _forward(lambda: torch.rand(3, 64, 64)),
     ValueError, ['(3, 64, 64)', '(N, 3, H, W)']),
    ('tensor: uint8 pixels', _forward(
        lambda: torch.zeros(1, 3, 64, 64, dtype=torch.uint8)),
     TypeError, ['torch.uint8', 'floating-point']),
    ('tensor: 4 channels', _forward(lambda: torch.rand(1, 4, 64, 64)),
     ValueError, ['got 4 channels', 'in_channels=3']),
    # edited configs
    ('config: head in_channels', _head_forward(32), ValueError,
     ['model.head.in_channels', 'backbone gives 32']),
    ('config: head out_channels vs dataset keypoints',
     _head_loss(16, (64, 48)), ValueError,
     ['out_channels is 17', 'dataset has 16 keypoints']),
    ('config: codec heatmap_size', _head_loss(17, (32, 24)), ValueError,
     ["heatmap_size is (24, 32)", 'gives (48, 64)']),
    ('config: num_branches vs num_channels',
     _build_backbone(stages_spec=dict(num_branches=(2, 3, 3))), ValueError,
     ['stage 2', 'num_branches (3) != len(in_channels) (4)']),
    ('config: frozen_stages', _build_backbone(frozen_stages=5), ValueError,
     ['frozen_stages', 'got 5']),
    ('config: odd channels', _build_backbone(stages_spec=dict(
        num_channels=((40, 80), (40, 80, 160), (40, 80, 160, 321)))),
     ValueError, ['stage 2', '[321] must be even']),
    # images and boxes, through litehrnet_mm.apis.inference_topdown
    ('image: missing file', _infer(lambda root, tmp: str(tmp / 'gone.jpg')),
     FileNotFoundError, ['gone.jpg']),
    ('image: not an image', _infer(_text_file), ValueError,
     ['photo.jpg', 'not an image file']),
    ('image: grayscale array', _infer(
        lambda root, tmp: np.zeros((64, 48), np.uint8)), ValueError,
     ['(H, W, 3)', '(64, 48)']),
    ('image: float pixels', _infer(
        lambda root, tmp: np.zeros((64, 48, 3), np.float64)), ValueError,
     ['uint8', 'float64']),
    ('boxes: three numbers', _infer(bboxes=[[10, 10, 50]]), ValueError,
     ['(N, 4)', '(1, 3)']),
    ('boxes: corners swapped', _infer(bboxes=[[10, 10, 90, 120],
                                              [90, 120, 10, 10]]),
     ValueError, ['bboxes[1]', '-80 x -110']),
    ('boxes: normalized coordinates', _infer(bboxes=[[0.1, 0.2, 0.5, 0.9]]),
     ValueError, ['bboxes[0]', 'in pixels']),
    ('boxes: not a number', _infer(bboxes=[[10, 10, float('nan'), 90]]),
     ValueError, ['bboxes[0]', 'not a finite number']),
    ('boxes: outside the image', _infer(bboxes=[[1000, 1000, 1100, 1200]]),
     ValueError, ['bboxes[0]', 'outside the']),
    ('boxes: unknown format', _infer(bboxes=[[10, 10, 50, 80]],
                                     bbox_format='cxcywh'), ValueError,
     ["'cxcywh'", 'xywh']),
    # annotation files, through the configs' datasets
    ('annotations: missing file', _dataset(
        lambda coco, tmp: tmp / 'gone.json'), FileNotFoundError,
     ['gone.json', 'CocoDataset (coco)', 'does not exist']),
    ('annotations: not JSON', _dataset(lambda coco, tmp: 'id,x,y\n'),
     ValueError, ['ann.json', 'is not JSON']),
    ('annotations: a list (MPII) for CocoDataset',
     _dataset(lambda coco, tmp: coco['annotations']), ValueError,
     ['ann.json', "'images' and 'annotations'", 'a list of']),
    ('annotations: 16 keypoints for CocoDataset',
     _dataset(_drop_last_keypoint), ValueError,
     ["annotations[0] (id ", "['keypoints'] has 48 numbers", 'expected 51',
      '16 keypoints per instance']),
    ('annotations: detections without keypoints',
     _dataset(_without('keypoints')), ValueError,
     ['annotations[0]', "no 'keypoints'"]),
    ('annotations: an unknown image_id', _dataset(_unknown_image),
     ValueError, ['annotations[1]', 'image_id 999', "not in 'images'"]),
    ('annotations: images missing', _dataset(lambda coco, tmp: coco,
                                             images='one'),
     FileNotFoundError, ['one_image', "data_prefix['img']"]),
    ('annotations: a COCO file for MpiiDataset',
     _dataset(lambda coco, tmp: coco, config=MPII_CONFIG), ValueError,
     ['MpiiDataset (mpii)', 'not an MPII annotation file']),
    ('annotations: body keypoints for the hand dataset',
     _dataset(lambda coco, tmp: coco, config=HAND_CONFIG), ValueError,
     ['CocoWholeBodyHandDataset', "no 'lefthand_kpts'"]),
    # the runner
    ('runner: load_from of another keypoint set',
     _runner_load(COCO_CONFIG, 'good', model=dict(head=dict(
         out_channels=16))), ValueError, ['epoch_1.pth',
                                          'head.final_layer.weight']),
    ('runner: load_from a missing file', _runner_load(COCO_CONFIG,
                                                      'missing'),
     FileNotFoundError, ['missing.pth']),
    ('runner: train_pipeline without SeedAugmentation',
     _runner_without_seeding, ValueError,
     ["dict(type='litehrnet_mm.SeedAugmentation')", 'CocoDataset']),
]


@pytest.mark.parametrize('name,action,error,named', ROWS,
                         ids=[row[0] for row in ROWS])
def test_bad_input_is_a_clear_error(name, action, error, named, files,
                                    coco_model, coco_root, tmp_path):
    with pytest.raises(Exception) as caught:
        action(files=files, coco_model=coco_model, coco_root=coco_root,
               tmp_path=tmp_path)
    assert isinstance(caught.value, error), (
        f'{name}: {type(caught.value).__name__}: {caught.value}')
    assert not isinstance(caught.value, (AttributeError, IndexError))
    for text in named:
        assert text in str(caught.value), (name, str(caught.value))

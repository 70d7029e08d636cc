"""Augmentations are a function of (seed, epoch, sample): the same in any
process, different from one epoch to the next."""
import pickle
import random

import numpy as np
import pytest
import torch
from helpers import COCO_CONFIG, coco_cfg_options
from mmengine.config import Config, DictAction
from mmengine.dataset import ConcatDataset, DefaultSampler
from mmengine.registry import DefaultScope

from litehrnet_mm.datasets import (
    AugmentationSeedSampler,
    SampleIndex,
    SeedAugmentation,
)
from litehrnet_mm.registry import DATASETS


def _train_set_cfg(coco_root):
    config = Config.fromfile(COCO_CONFIG)
    for option in coco_cfg_options(coco_root):
        key, value = option.split('=', 1)
        config.merge_from_dict({key: DictAction._parse_iterable(value)})
    return config.train_dataloader.dataset


def _build(dataset_cfg):
    with DefaultScope.overwrite_default_scope('litehrnet_mm'):
        return DATASETS.build(dataset_cfg)


@pytest.fixture(scope='module')
def train_set(coco_root):
    """The COCO config's training set, with its own pipeline, on the
    generated images."""
    return _build(_train_set_cfg(coco_root))


def _scramble(seed):
    """Leave the global generators in some other state, as another process
    or another point of a run would have them."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    np.random.rand(seed % 7 + 1)


def _augmented(dataset, index):
    sample = dataset[index]
    # the crop (box jitter, flip, half body) and its target heatmaps
    return sample['inputs'].clone(), sample['data_samples'].gt_fields.heatmaps


def test_sample_index_is_an_int_that_keeps_seed_and_epoch():
    index = SampleIndex(3, seed=7, epoch=2)
    assert index == 3 and [10, 11, 12, 13][index] == 13
    copy = pickle.loads(pickle.dumps(index))  # as sent to a worker
    assert (int(copy), copy.seed, copy.epoch) == (3, 7, 2)
    assert 'epoch=2' in repr(copy)


def test_same_seed_epoch_and_sample_give_the_same_augmentation(train_set):
    _scramble(1)
    first = _augmented(train_set, SampleIndex(0, seed=5, epoch=3))
    _scramble(2)
    again = _augmented(train_set, SampleIndex(0, seed=5, epoch=3))
    assert torch.equal(first[0], again[0])
    assert torch.equal(first[1], again[1])


def test_consecutive_epochs_draw_different_augmentations(train_set):
    crops = [_augmented(train_set, SampleIndex(0, seed=5, epoch=epoch))[0]
             for epoch in range(4)]
    for a, b in zip(crops, crops[1:]):
        assert not torch.equal(a, b)
    other_seed = _augmented(train_set, SampleIndex(0, seed=6, epoch=0))[0]
    assert not torch.equal(crops[0], other_seed)


def test_plain_index_leaves_the_generators_alone():
    np.random.seed(0)
    expected = np.random.rand()
    np.random.seed(0)
    SeedAugmentation()(dict(sample_idx=0))
    assert np.random.rand() == expected


def test_sampler_keeps_default_order_and_tags_indices(train_set):
    ours = AugmentationSeedSampler(train_set, shuffle=True, seed=3)
    default = DefaultSampler(train_set, shuffle=True, seed=3)
    for epoch in (0, 1):
        ours.set_epoch(epoch)
        default.set_epoch(epoch)
        indices = list(ours)
        assert [int(i) for i in indices] == list(default)
        assert {(i.seed, i.epoch) for i in indices} == {(3, epoch)}


def test_sampler_refuses_a_pipeline_without_seeding(coco_root):
    dataset_cfg = _train_set_cfg(coco_root)
    dataset_cfg.pipeline = dataset_cfg.pipeline[1:]
    dataset = _build(dataset_cfg)
    with pytest.raises(ValueError,
                       match="type='litehrnet_mm.SeedAugmentation'.*first"):
        AugmentationSeedSampler(dataset, seed=0)


def test_sampler_refuses_dataset_wrappers(train_set):
    wrapped = ConcatDataset([train_set, train_set])
    with pytest.raises(ValueError, match='ConcatDataset wraps other'):
        AugmentationSeedSampler(wrapped, seed=0)

"""Training augmentation whose random draws are a function of (seed, epoch,
sample), not of the process that happens to run them.

mmpose's random transforms (flip, half body, box jitter, ...) draw from the
global ``numpy``, ``random`` and ``torch`` generators of whichever process
loads the sample: the main process with ``num_workers=0``, otherwise a
worker that mmengine seeds once, when it starts. Those streams depend on the
process's history, so a run resumed with ``--resume`` draws other
augmentations than the run it continues, and (with workers restarted every
epoch) every epoch replays the same ones.

Here the sampler hands out indices that carry the seed and the epoch
(:class:`SampleIndex`, an ``int`` to the dataset), and
:class:`SeedAugmentation`, the first transform of the training pipeline,
seeds the three generators from ``(seed, epoch, index)`` before the
pipeline draws. Each epoch draws new augmentations, and a resumed run draws
exactly those of the uninterrupted one, whatever the number of workers.
"""
import random
from typing import Iterator, Optional

import numpy as np
import torch
from mmcv.transforms import BaseTransform
from mmengine.dataset import DefaultSampler

from litehrnet_mm.registry import DATA_SAMPLERS, TRANSFORMS


class SampleIndex(int):
    """A dataset index that knows the seed and the epoch it was drawn for.

    It is an ``int`` wherever the dataset uses it (list indexing, mmengine's
    ``sample_idx``); :class:`SeedAugmentation` reads the two extras.
    """

    def __new__(cls, index: int, seed: int, epoch: int) -> 'SampleIndex':
        self = super().__new__(cls, index)
        self.seed, self.epoch = seed, epoch
        return self

    def __getnewargs__(self):
        # sent to the workers as (index, seed, epoch)
        return int(self), self.seed, self.epoch

    def __repr__(self) -> str:
        return (f'SampleIndex({int(self)}, seed={self.seed}, '
                f'epoch={self.epoch})')


@DATA_SAMPLERS.register_module()
class AugmentationSeedSampler(DefaultSampler):
    """mmengine's ``DefaultSampler`` whose indices carry seed and epoch.

    The order of the indices is exactly ``DefaultSampler``'s (shuffled with
    ``seed + epoch``, split across ranks). The training pipeline of the
    dataset must begin with :class:`SeedAugmentation`, which turns them into
    per-sample seeds; the sampler checks that it does.

    Args:
        dataset: The dataset, not a wrapper of others (they pass their own
            indices on); its pipeline must start with ``SeedAugmentation``.
        shuffle (bool): Shuffle the indices every epoch. Defaults to True.
        seed (int, optional): Seed of the shuffle and the augmentations;
            mmengine's runner passes its own. Defaults to None (a random
            seed shared by the ranks).
        round_up (bool): Pad the indices to a multiple of the world size.
            Defaults to True.
    """

    def __init__(self, dataset, shuffle: bool = True,
                 seed: Optional[int] = None, round_up: bool = True) -> None:
        super().__init__(dataset, shuffle=shuffle, seed=seed,
                         round_up=round_up)
        name = type(dataset).__name__
        if hasattr(dataset, 'dataset') or hasattr(dataset, 'datasets'):
            raise ValueError(
                f'AugmentationSeedSampler: {name} wraps other datasets and '
                'hands them indices of its own, which carry no seed or '
                "epoch; use sampler=dict(type='DefaultSampler') with it.")
        transforms = getattr(getattr(dataset, 'pipeline', None),
                             'transforms', None)
        if not (transforms and isinstance(transforms[0], SeedAugmentation)):
            raise ValueError(
                f'AugmentationSeedSampler: the pipeline of {name} does not '
                "start with dict(type='litehrnet_mm.SeedAugmentation'); "
                "without it the sampler's seeds are never used and "
                'augmentations depend on the process that loads them. Put '
                "it first in train_pipeline, or use sampler=dict("
                "type='DefaultSampler').")

    def __iter__(self) -> Iterator[SampleIndex]:
        for index in super().__iter__():
            yield SampleIndex(index, self.seed, self.epoch)


@TRANSFORMS.register_module()
class SeedAugmentation(BaseTransform):
    """Seed ``numpy``, ``random`` and ``torch`` for one training sample.

    Put it first in the training pipeline, with
    :class:`AugmentationSeedSampler` as the sampler: the transforms after it
    then draw the same augmentation for a given ``(seed, epoch, sample)`` in
    any process. A plain integer index (a dataset indexed by hand, mmpose's
    dataset browser, another sampler) leaves the generators as they are.
    """

    def transform(self, results: dict) -> dict:
        """Seed the generators from ``results['sample_idx']``."""
        index = results.get('sample_idx')
        if isinstance(index, SampleIndex):
            seed_everything(index.seed, index.epoch, int(index))
        return results


def seed_everything(seed: int, epoch: int, index: int) -> None:
    """Seed the global ``numpy``, ``random`` and ``torch`` generators from
    ``(seed, epoch, index)``, with numpy's ``SeedSequence`` mixing the three
    so that nearby samples and epochs get unrelated streams."""
    words = np.random.SeedSequence(
        [seed % 2**32, epoch, index]).generate_state(2)
    np.random.seed(words)
    value = (int(words[0]) << 32) | int(words[1])
    random.seed(value)
    torch.manual_seed(value)


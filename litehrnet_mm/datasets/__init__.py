from .checked_datasets import (
                               CocoDataset,
                               CocoWholeBodyHandDataset,
                               MpiiDataset,
)
from .seeded_augmentation import (
                                  AugmentationSeedSampler,
                                  SampleIndex,
                                  SeedAugmentation,
)
from .synthetic_coco import make_synthetic_coco, render_image

__all__ = [
    'CocoDataset', 'CocoWholeBodyHandDataset', 'MpiiDataset',
    'AugmentationSeedSampler', 'SampleIndex', 'SeedAugmentation',
    'make_synthetic_coco', 'render_image'
]

from .annotated_people import annotated_people
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
from .synthetic_coco import (
                               PART_CLASSES,
                               make_synthetic_coco,
                               render_image,
                               render_scene,
)
from .topdown_input_check import CheckTopdownInput

__all__ = [
    'annotated_people', 'CheckTopdownInput', 'CocoDataset',
    'CocoWholeBodyHandDataset', 'MpiiDataset',
    'AugmentationSeedSampler', 'SampleIndex', 'SeedAugmentation',
    'PART_CLASSES', 'make_synthetic_coco', 'render_image', 'render_scene'
]

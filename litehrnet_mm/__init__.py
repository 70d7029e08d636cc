"""litehrnet_mm: Lite-HRNet (CVPR 2021) as an MMPose plugin."""
from .dependency_check import check_dependencies

check_dependencies()  # before anything of torch or OpenMMLab is imported

# Every module registered in the litehrnet_mm scope is also an attribute of
# the package, so `type='litehrnet_mm.<Name>'` names it from any default
# scope: from mmpose's (ours is its child) through the registries, and from
# any other (a downstream project's, mmseg's) through mmengine's fallback
# to the import path.
from .datasets import (  # noqa: E402
    AugmentationSeedSampler,
    CheckTopdownInput,
    CocoDataset,
    CocoWholeBodyHandDataset,
    MpiiDataset,
    SeedAugmentation,
)
from .engine import (  # noqa: E402
    AtomicCheckpointHook,
    CheckpointCompatibilityHook,
    CPUDistributedDataParallel,
    NonFiniteLossHook,
    SamplerSeedHook,
)
from .models import (  # noqa: E402
    ConditionalChannelWeighting,
    CrossResolutionWeighting,
    IterativeHead,
    LiteHRModule,
    LiteHRNet,
    LiteHRNetHead,
    MultiResolutionFusion,
    ShuffleBlock,
    SpatialWeighting,
    Stem,
)
from .patches import apply_patches  # noqa: E402
from .version import __version__, version_info  # noqa: E402

# what this changes in torch and mmengine, and why: litehrnet_mm/patches.py
apply_patches()

__all__ = [
    '__version__', 'version_info', 'AtomicCheckpointHook',
    'AugmentationSeedSampler', 'CheckpointCompatibilityHook',
    'CheckTopdownInput', 'CocoDataset',
    'CocoWholeBodyHandDataset', 'ConditionalChannelWeighting',
    'CPUDistributedDataParallel', 'CrossResolutionWeighting',
    'IterativeHead', 'LiteHRModule', 'LiteHRNet', 'LiteHRNetHead',
    'MpiiDataset', 'MultiResolutionFusion', 'NonFiniteLossHook',
    'SamplerSeedHook', 'SeedAugmentation', 'ShuffleBlock',
    'SpatialWeighting', 'Stem'
]

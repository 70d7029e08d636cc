"""litehrnet_mm: Lite-HRNet (CVPR 2021) as an MMPose plugin."""
from . import datasets, engine, models  # noqa: F401  (registers modules)
from .patches import apply_patches
from .version import __version__, version_info

# what this changes in torch and mmengine, and why: litehrnet_mm/patches.py
apply_patches()

__all__ = ['__version__', 'version_info']

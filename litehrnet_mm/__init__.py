"""litehrnet_mm: Lite-HRNet (CVPR 2021) as an MMPose plugin."""
from .dependency_check import check_dependencies

check_dependencies()  # before anything of torch or OpenMMLab is imported

from . import datasets, engine, models  # noqa: E402,F401  (registers modules)
from .patches import apply_patches  # noqa: E402
from .version import __version__, version_info  # noqa: E402

# what this changes in torch and mmengine, and why: litehrnet_mm/patches.py
apply_patches()

__all__ = ['__version__', 'version_info']

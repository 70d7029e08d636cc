"""litehrnet_mm: Lite-HRNet (CVPR 2021) as an MMPose plugin."""
from . import models  # noqa: F401  (registers the modules)
from .version import __version__, version_info

__all__ = ['__version__', 'version_info']

"""litehrnet_mm: Lite-HRNet (CVPR 2021) as an MMPose plugin."""
from . import models  # noqa: F401  (registers the modules)
from .utils import allow_runner_checkpoints
from .version import __version__, version_info

# runner checkpoints load with torch.load(weights_only=True)
allow_runner_checkpoints()

__all__ = ['__version__', 'version_info']

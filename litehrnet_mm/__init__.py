"""litehrnet_mm: Lite-HRNet (CVPR 2021) as an MMPose plugin."""
from . import datasets, engine, models  # noqa: F401  (registers modules)
from .utils import allow_runner_checkpoints, enable_config_prefix
from .version import __version__, version_info

# runner checkpoints load with torch.load(weights_only=True)
allow_runner_checkpoints()
# other projects' configs can say _base_ = ['litehrnet_mm::...']
enable_config_prefix()

__all__ = ['__version__', 'version_info']

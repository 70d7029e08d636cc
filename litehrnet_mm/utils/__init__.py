from .dist import CPUDistributedDataParallel, setup_cpu_distributed
from .safe_loading import runner_checkpoint_globals
from .setup_env import register_all_modules

__all__ = [
    'CPUDistributedDataParallel', 'register_all_modules',
    'runner_checkpoint_globals', 'setup_cpu_distributed'
]

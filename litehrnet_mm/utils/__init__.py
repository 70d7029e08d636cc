from .dist import CPUDistributedDataParallel, setup_cpu_distributed
from .safe_loading import allow_runner_checkpoints, runner_checkpoint_globals
from .setup_env import enable_config_prefix, register_all_modules

__all__ = [
    'CPUDistributedDataParallel', 'allow_runner_checkpoints',
    'enable_config_prefix', 'register_all_modules',
    'runner_checkpoint_globals', 'setup_cpu_distributed'
]

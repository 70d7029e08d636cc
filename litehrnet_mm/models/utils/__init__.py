from .channel_shuffle import channel_shuffle, concat_shuffle
from .checkpoint import run_maybe_checkpointed
from .fuse import deploy_conv_module, deploy_layers, fuse_conv_bn
from .upsample import add_upsampled, mul_upsampled

__all__ = [
    'add_upsampled', 'channel_shuffle', 'concat_shuffle',
    'deploy_conv_module', 'deploy_layers', 'fuse_conv_bn', 'mul_upsampled',
    'run_maybe_checkpointed'
]

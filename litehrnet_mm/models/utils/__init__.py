from .batch_norm_folding import fold_batch_norm, fold_batch_norms
from .concat_shuffle import concat_shuffle
from .memory_format import channels_last_on_cpu, is_channels_last
from .recompute_activations import run_maybe_checkpointed
from .upsample import add_upsampled, mul_upsampled

__all__ = [
    'add_upsampled', 'channels_last_on_cpu', 'concat_shuffle',
    'fold_batch_norm', 'fold_batch_norms', 'is_channels_last',
    'mul_upsampled', 'run_maybe_checkpointed'
]

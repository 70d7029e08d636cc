from .batch_norm_folding import fold_batch_norm, fold_batch_norms
from .concat_shuffle import concat_shuffle
from .recompute_activations import run_maybe_checkpointed
from .upsample import add_upsampled, mul_upsampled

__all__ = [
    'add_upsampled', 'concat_shuffle', 'fold_batch_norm', 'fold_batch_norms',
    'mul_upsampled', 'run_maybe_checkpointed'
]

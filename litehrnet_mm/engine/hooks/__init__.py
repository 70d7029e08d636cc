from .atomic_checkpoint_hook import AtomicCheckpointHook, AtomicLocalBackend
from .checkpoint_compatibility_hook import CheckpointCompatibilityHook
from .non_finite_loss_hook import NonFiniteLossHook
from .sampler_seed_hook import SamplerSeedHook

__all__ = [
    'AtomicCheckpointHook', 'AtomicLocalBackend',
    'CheckpointCompatibilityHook', 'NonFiniteLossHook', 'SamplerSeedHook'
]

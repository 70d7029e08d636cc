from .checkpoint_compatibility_hook import CheckpointCompatibilityHook

__all__ = ['CheckpointCompatibilityHook']

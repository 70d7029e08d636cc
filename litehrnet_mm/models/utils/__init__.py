from .channel_shuffle import channel_shuffle
from .checkpoint import run_maybe_checkpointed

__all__ = ['channel_shuffle', 'run_maybe_checkpointed']

"""Checkpoints in and out of the package's models, in one place.

- :mod:`.safe_loading`: ``torch.load(weights_only=True)`` for the files
  mmengine's runner writes (the types it pickles, allow-listed), with errors
  that say why a file was refused;
- :mod:`.weights_fit`: the backbone and head refuse weights that are not
  exactly theirs, wherever they are loaded from;
- :mod:`.keys`: the official release's and mmpose's model-zoo keys as this
  package's models name them.

The runner's hooks that use them live in :mod:`litehrnet_mm.engine.hooks`.
"""
from .keys import convert_state_dict, revise_key
from .safe_loading import (
    CheckpointLoadError,
    UnsafeCheckpointError,
    load_local_checkpoint,
    runner_checkpoint_globals,
)
from .weights_fit import RefuseUnfitWeights, WeightsMismatchError

__all__ = [
    'CheckpointLoadError', 'RefuseUnfitWeights', 'UnsafeCheckpointError',
    'WeightsMismatchError', 'convert_state_dict', 'load_local_checkpoint',
    'revise_key', 'runner_checkpoint_globals'
]

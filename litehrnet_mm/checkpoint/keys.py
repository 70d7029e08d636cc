"""Checkpoint-key revision: the keys of the official Lite-HRNet release's and
mmpose's model-zoo checkpoints as this package's model names them."""
import re
from collections import OrderedDict
from typing import Dict

import torch

# official release (mmpose 0.x): keypoint_head.*, possibly module.* from
# DataParallel; mmpose 1.x: backbone.*, head.*
_RENAMES = ((r'^module\.', ''), (r'^keypoint_head\.', 'head.'))
_MODEL_PARTS = ('backbone.', 'neck.', 'head.')


def revise_key(key: str) -> str:
    """A checkpoint key as this package's model names it (``module.``
    prefixes dropped, the official release's ``keypoint_head.`` made
    ``head.``)."""
    for pattern, replacement in _RENAMES:
        key = re.sub(pattern, replacement, key)
    return key


def convert_state_dict(checkpoint: dict) -> Dict[str, torch.Tensor]:
    """The model weights of a checkpoint, with this package's keys.

    Args:
        checkpoint (dict): A loaded checkpoint: ``{'state_dict': ...}`` (with
            or without ``meta``, optimizer, ...), or a bare state dict.

    Returns:
        OrderedDict: ``backbone.*`` and ``head.*`` tensors.

    Raises:
        ValueError: Nothing in the checkpoint looks like pose model weights.
    """
    state = checkpoint.get('state_dict', checkpoint)
    if not isinstance(state, dict):
        raise ValueError('the checkpoint holds no state dict')
    converted = OrderedDict()
    for key, value in state.items():
        key = revise_key(key)
        if key.startswith(_MODEL_PARTS) and torch.is_tensor(value):
            converted[key] = value
    if not any(k.startswith('backbone.') for k in converted):
        raise ValueError('no backbone weights (backbone.*) in the checkpoint')
    return converted

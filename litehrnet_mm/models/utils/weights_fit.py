"""Refuse weights that do not fit a module, wherever they are loaded from.

PyTorch and mmengine load a state dict into a module one submodule at a
time and, unless asked to be strict, only warn about what did not fit.
mmpose's ``init_model``, the inferencers and most tools load that way: the
weights of another variant or keypoint set then load in part, and the rest
of the network stays random. The backbone and the head check, as their
weights arrive, that the weights under their prefix are exactly theirs.

Partial loading stays possible where it is asked for: the runner's
``load_strict = False`` (see ``CheckpointCompatibilityHook``) completes the
checkpoint with the model's own values for what does not fit.
"""
from typing import Dict, List, Tuple

import torch

_SHOWN = 5
# old checkpoints may lack batch-norm counters; PyTorch fills them in
_OPTIONAL = ('num_batches_tracked', )


class WeightsMismatchError(ValueError):
    """Weights whose keys or shapes are not those of the module."""


def differences(
    weights: Dict[str, torch.Tensor], module: torch.nn.Module, prefix: str
) -> Tuple[List[str], List[tuple], List[str]]:
    """Keys ``module`` has that ``weights`` lacks, shape mismatches
    ``(key, weights shape, module shape)``, and keys under ``prefix`` that
    ``module`` does not have.

    Args:
        weights (dict): A state dict, keys with ``prefix``.
        module (nn.Module): The module the weights are loaded into.
        prefix (str): The module's prefix in ``weights``.

    Returns:
        tuple: ``(missing, mismatched, unexpected)``.
    """
    own = module.state_dict(prefix=prefix, keep_vars=True)
    missing = [key for key in own if key not in weights
               and not key.endswith(_OPTIONAL)]
    mismatched = [(key, tuple(weights[key].shape), tuple(value.shape))
                  for key, value in own.items() if key in weights
                  and hasattr(weights[key], 'shape')
                  and weights[key].shape != value.shape]
    unexpected = [key for key in weights
                  if key.startswith(prefix) and key not in own]
    return missing, mismatched, unexpected


def refuse_unfit_weights(module: torch.nn.Module,
                         weights: Dict[str, torch.Tensor],
                         prefix: str) -> None:
    """Raise :class:`WeightsMismatchError` unless ``weights`` holds exactly
    ``module``'s keys, with its shapes, under ``prefix``.

    Called from the module's ``_load_from_state_dict``, before anything is
    copied into it.
    """
    missing, mismatched, unexpected = differences(weights, module, prefix)
    if not (missing or mismatched or unexpected):
        return
    lines = []
    if mismatched:
        lines.append(f'{len(mismatched)} shapes differ (weights vs model):')
        lines += [f'  {k}: {a} vs {b}' for k, a, b in mismatched[:_SHOWN]]
    for what, keys in (('missing from the weights', missing),
                       ('in the weights but not in the model', unexpected)):
        if keys:
            lines.append(f'{len(keys)} keys {what}:')
            lines += [f'  {key}' for key in keys[:_SHOWN]]
    where = f"at '{prefix}'" if prefix else 'as the whole model'
    details = '\n'.join(lines)
    raise WeightsMismatchError(
        f'The weights being loaded into {type(module).__name__} ({where}) '
        f'are not its own; nothing was loaded into it:\n{details}\n'
        'Were they saved from another variant (Lite-HRNet-18/-30, Naive, '
        'Wider Naive) or for another number of keypoints? Use the config '
        'they were trained with. To fine-tune from them on purpose, load '
        'them with the runner (load_from) and `load_strict = False`.')

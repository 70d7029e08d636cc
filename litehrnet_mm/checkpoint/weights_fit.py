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
from collections import OrderedDict
from typing import Any, Dict, List, Optional, Sequence, Tuple

import torch

_SHOWN = 5
# old checkpoints may lack batch-norm counters; PyTorch fills them in
_OPTIONAL = ('num_batches_tracked', )


class WeightsMismatchError(ValueError):
    """Weights whose keys or shapes are not those of the module."""


class WeightsSource(OrderedDict):
    """A state dict's ``_metadata`` that also says which file it came from.

    PyTorch and mmengine hand each module ``_metadata.get(its prefix)`` as it
    loads; this answers every prefix with the file added under ``'source'``,
    so a module refusing the weights can name the file. It pickles as the
    plain ``OrderedDict`` it wraps.
    """

    def __init__(self, metadata: Optional[dict], source: str) -> None:
        super().__init__(metadata or {})
        self.source = source

    def get(self, key: str, default: Optional[dict] = None) -> dict:
        return dict(super().get(key, default) or {}, source=self.source)

    def __reduce__(self) -> tuple:
        return OrderedDict, (list(self.items()), )


def mark_weights_source(checkpoint: Any, source: str) -> Any:
    """Mark the state dict in ``checkpoint`` (its ``'state_dict'``, else the
    checkpoint itself) as loaded from ``source``.

    Args:
        checkpoint: What ``torch.load`` returned.
        source (str): The file it was loaded from.

    Returns:
        The checkpoint, its state dict an ``OrderedDict`` (the type that can
        carry ``_metadata``) with :class:`WeightsSource` metadata.
    """
    if not isinstance(checkpoint, dict):
        return checkpoint
    nested = isinstance(checkpoint.get('state_dict'), dict)
    state_dict = checkpoint['state_dict'] if nested else checkpoint
    if not isinstance(state_dict, OrderedDict):
        state_dict = OrderedDict(state_dict)
    state_dict._metadata = WeightsSource(
        getattr(state_dict, '_metadata', None), source)
    if not nested:
        return state_dict
    checkpoint['state_dict'] = state_dict
    return checkpoint


class RefuseUnfitWeights:
    """Mixin for a module that refuses weights that are not its own
    (:func:`refuse_unfit_weights`) instead of loading them in part."""

    def _load_from_state_dict(self, state_dict, prefix, local_metadata,
                              *args, **kwargs):
        refuse_unfit_weights(self, state_dict, prefix,
                             local_metadata.get('source'))
        super()._load_from_state_dict(state_dict, prefix, local_metadata,
                                      *args, **kwargs)


def compare_state_dicts(
    weights: Dict[str, torch.Tensor], own: Dict[str, torch.Tensor],
    ignored: Sequence[str] = ()
) -> Tuple[List[tuple], List[str], List[str]]:
    """What loading ``weights`` into a module whose state is ``own`` would
    not load.

    Args:
        weights (dict): The state dict being loaded.
        own (dict): The module's state dict, keys as in ``weights``.
        ignored (Sequence[str]): Keys left out of the comparison.

    Returns:
        tuple: Shape mismatches ``(key, weights shape, module shape)``,
        keys ``weights`` lacks, and keys the module does not have.
    """
    mismatched = [(key, tuple(value.shape), tuple(own[key].shape))
                  for key, value in weights.items()
                  if key in own and hasattr(value, 'shape')
                  and value.shape != own[key].shape]
    missing = [key for key in own if key not in weights
               and key not in ignored and not key.endswith(_OPTIONAL)]
    unexpected = [key for key in weights
                  if key not in own and key not in ignored]
    return mismatched, missing, unexpected


def describe(mismatched: List[tuple], missing: List[str],
             unexpected: List[str], limit: Optional[int] = _SHOWN) -> str:
    """A readable list of the differences, the first ``limit`` of each."""
    lines = []
    if mismatched:
        lines.append(f'{len(mismatched)} shapes differ (weights vs model):')
        lines += [f'  {k}: {a} vs {b}' for k, a, b in mismatched[:limit]]
    for what, keys in (('missing from the weights', missing),
                       ('in the weights but not in the model', unexpected)):
        if keys:
            lines.append(f'{len(keys)} keys {what}:')
            lines += [f'  {key}' for key in keys[:limit]]
    if limit is not None and any(
            len(x) > limit for x in (mismatched, missing, unexpected)):
        lines.append(f'  (the first {limit} of each)')
    return '\n'.join(lines)


def refuse_unfit_weights(module: torch.nn.Module,
                         weights: Dict[str, torch.Tensor],
                         prefix: str,
                         source: Optional[str] = None) -> None:
    """Raise :class:`WeightsMismatchError` unless ``weights`` holds exactly
    ``module``'s keys, with its shapes, under ``prefix``.

    Called from the module's ``_load_from_state_dict``, before anything is
    copied into it.

    Args:
        module (torch.nn.Module): The module being loaded.
        weights (dict): The whole state dict being loaded.
        prefix (str): The module's prefix in ``weights``.
        source (str, optional): The file the weights came from, named in
            the error.
    """
    own = module.state_dict(prefix=prefix, keep_vars=True)
    mine = {k: v for k, v in weights.items() if k.startswith(prefix)}
    differences = compare_state_dicts(mine, own)
    if not any(differences):
        return
    where = f"at '{prefix}'" if prefix else 'as the whole model'
    origin = f' from {source}' if source else ''
    raise WeightsMismatchError(
        f'The weights being loaded{origin} into {type(module).__name__} '
        f'({where}) are not its own; nothing was loaded into it:\n'
        f'{describe(*differences)}\n'
        'Were they saved from another variant (Lite-HRNet-18/-30, Naive, '
        'Wider Naive) or for another number of keypoints? Use the config '
        'they were trained with. To fine-tune from them on purpose, load '
        'them with the runner (load_from) and `load_strict = False`.')

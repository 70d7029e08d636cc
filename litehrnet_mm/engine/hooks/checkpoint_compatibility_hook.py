"""Stop on a checkpoint that does not fit the model, or report exactly what
a deliberate partial load skips."""
from typing import Dict, List, Optional, Tuple

import torch
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import find_latest_checkpoint

from litehrnet_mm.registry import HOOKS
from litehrnet_mm.utils.convert import revise_key

# keys mmpose's pose estimator drops while loading
_IGNORED = ('data_preprocessor.mean', 'data_preprocessor.std')
_SHOWN = 5


def compare_state_dicts(
        checkpoint: Dict[str, torch.Tensor], model: Dict[str, torch.Tensor]
) -> Tuple[List[tuple], List[str], List[str]]:
    """What loading ``checkpoint`` into a model with state ``model`` would
    not load.

    Keys are first revised as loading revises them (``module.`` prefixes of
    wrapped models, the official release's ``keypoint_head.``).

    Args:
        checkpoint (dict): The checkpoint's state dict.
        model (dict): The model's state dict.

    Returns:
        tuple: Shape mismatches ``(key, checkpoint shape, model shape)``,
        keys the checkpoint lacks, and keys the model does not have.
    """
    revised = {revise_key(key): value for key, value in checkpoint.items()}
    mismatched = [(k, tuple(v.shape), tuple(model[k].shape))
                  for k, v in revised.items()
                  if k in model and hasattr(v, 'shape')
                  and v.shape != model[k].shape]
    missing = [k for k in model if k not in revised and k not in _IGNORED]
    unexpected = [k for k in revised if k not in model and k not in _IGNORED]
    return mismatched, missing, unexpected


def describe(mismatched: List[tuple], missing: List[str],
             unexpected: List[str], limit: Optional[int] = _SHOWN) -> str:
    """A readable list of the differences, the first ``limit`` of each."""
    lines = []
    if mismatched:
        lines.append(f'{len(mismatched)} shape mismatches (checkpoint vs '
                     'model):')
        lines += [f'  {k}: {a} vs {b}' for k, a, b in mismatched[:limit]]
    for name, keys in (('missing from the checkpoint', missing),
                       ('not in the model', unexpected)):
        if keys:
            lines.append(f'{len(keys)} keys {name}:')
            lines += [f'  {k}' for k in keys[:limit]]
    truncated = limit is not None and any(
        len(x) > limit for x in (mismatched, missing, unexpected))
    if truncated:
        lines.append(f'  (the first {limit} of each)')
    return '\n'.join(lines)


@HOOKS.register_module()
class CheckpointCompatibilityHook(Hook):
    """Check a checkpoint against the model before its weights are loaded.

    mmengine's runner loads ``load_from`` and ``--resume`` checkpoints
    leniently: weights of another variant (Lite-HRNet-18's into -30) or
    another keypoint count load partly, with a warning in the log, and
    training goes on from a model that is not what was asked for. With this
    hook (in every litehrnet_mm config through the base runtime), loading
    stops instead, naming the file and the first mismatching keys and
    shapes.

    For fine-tuning from weights of another keypoint set, set
    ``load_strict = False`` in the config: the keys that cannot be loaded
    (different shapes, or absent) are listed in full in the log and left
    out (they keep the model's own values), and everything else is loaded.

    Args:
        strict (bool, optional): Stop on any difference. Defaults to the
            config's ``load_strict``, itself True when not set.
    """

    priority = 'VERY_HIGH'

    def __init__(self, strict: Optional[bool] = None):
        self.strict = strict

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Compare, then stop, or drop what cannot be loaded and say so."""
        strict = self.strict
        if strict is None:
            strict = runner.cfg.get('load_strict', True)
        state = checkpoint.get('state_dict', checkpoint)
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        mismatched, missing, unexpected = compare_state_dicts(
            state, model.state_dict())
        if not (mismatched or missing or unexpected):
            return
        source = self._source(runner)
        if strict:
            raise ValueError(
                f'The checkpoint {source} does not fit the model (another '
                f'variant or keypoint set?):\n'
                f'{describe(mismatched, missing, unexpected)}\n'
                'Set `load_strict = False` in the config to load what fits '
                '(e.g. to fine-tune on another keypoint set).')
        # what does not fit keeps the model's own values; the backbone and
        # head refuse weights that are not complete (weights_fit.py)
        original = {revise_key(key): key for key in state}
        model_state = model.state_dict()
        for key, _, _ in mismatched:
            state[original[key]] = model_state[key]
        for key in missing:
            state[key] = model_state[key]
        for key in unexpected:
            state.pop(original[key])
        runner.logger.warning(
            f'load_strict=False: partial load of {source}; skipped:\n'
            f'{describe(mismatched, missing, unexpected, limit=None)}')

    @staticmethod
    def _source(runner) -> str:
        if runner._load_from is not None:
            return str(runner._load_from)
        latest = find_latest_checkpoint(runner.work_dir)
        return str(latest) if latest else 'being loaded'

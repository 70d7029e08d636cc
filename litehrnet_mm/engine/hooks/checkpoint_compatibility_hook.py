"""Stop on a checkpoint that does not fit the model, or report exactly what
a deliberate partial load skips."""
from typing import Optional

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import find_latest_checkpoint

from litehrnet_mm.checkpoint.keys import revise_key
from litehrnet_mm.checkpoint.weights_fit import compare_state_dicts, describe
from litehrnet_mm.registry import HOOKS

# keys mmpose's pose estimator drops while loading
_IGNORED = ('data_preprocessor.mean', 'data_preprocessor.std')


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
        model_state = model.state_dict()
        # keys revised as loading revises them (``module.`` prefixes, the
        # official release's ``keypoint_head.``)
        original = {revise_key(key): key for key in state}
        mismatched, missing, unexpected = compare_state_dicts(
            {revised: state[key] for revised, key in original.items()},
            model_state, ignored=_IGNORED)
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

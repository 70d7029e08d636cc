"""Stop training at the first NaN or infinite loss, saying where."""
import math

import torch
from mmengine.hooks import Hook

from litehrnet_mm.registry import HOOKS


@HOOKS.register_module()
class NonFiniteLossHook(Hook):
    """Check every loss term after each iteration; raise
    ``FloatingPointError`` naming the iteration and the term.

    It runs before the checkpoint hook, so the weights that a non-finite
    loss has already touched are never saved: the last checkpoint stays the
    last good one. (mmengine's ``EarlyStoppingHook`` checks metrics, not
    losses; mmdet's ``CheckInvalidLossHook`` checks the total every 50
    iterations with a bare ``assert``.)

    Args:
        interval (int): Check every ``interval`` iterations. Defaults to 1.
    """

    priority = 'ABOVE_NORMAL'

    def __init__(self, interval: int = 1) -> None:
        self.interval = interval

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs=None) -> None:
        """Raise ``FloatingPointError`` on a non-finite loss term."""
        if not outputs or not self.every_n_train_iters(runner, self.interval):
            return
        losses = {name: _number(value) for name, value in outputs.items()
                  if name.startswith('loss')}
        bad = {name: value for name, value in losses.items()
               if not math.isfinite(value)}
        if not bad:
            return
        terms = ', '.join(f'{name} = {value}' for name, value in bad.items())
        last = runner.message_hub.get_info('last_ckpt')
        kept = (f'the last checkpoint, {last}, was saved before it and is '
                'intact' if last else 'no checkpoint was saved from it')
        raise FloatingPointError(
            f'Non-finite loss at iteration {runner.iter + 1} (epoch '
            f'{runner.epoch + 1}, batch {batch_idx + 1} of the epoch): '
            f'{terms}. Training stopped; {kept}. Common causes: a learning '
            'rate too high for the batch size, or annotations with '
            'non-finite or degenerate values.')


def _number(value) -> float:
    if isinstance(value, torch.Tensor):
        return value.detach().float().mean().item()
    return float(value)

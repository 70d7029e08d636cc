"""The channel shuffle after a ShuffleNet V2 block's concatenation, in one
copy."""
import torch
from mmpose.models.backbones.utils import channel_shuffle

from .memory_format import is_channels_last


def concat_shuffle(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """``channel_shuffle(torch.cat((a, b), 1), 2)`` in one copy.

    Concatenating two halves and shuffling them in two groups interleaves
    their channels (``a[0], b[0], a[1], b[1], ...``); stacking them on a new
    axis after the channels writes that order directly, where cat + shuffle
    copies twice. The values are identical. Halves of different shapes go
    through mmpose's ``channel_shuffle``.

    Args:
        a (Tensor): First half, (N, C, H, W).
        b (Tensor): Second half, same shape.

    Returns:
        Tensor: (N, 2C, H, W), channel ``2k`` from ``a[:, k]`` and ``2k + 1``
        from ``b[:, k]``; channels-last when either half is.
    """
    if a.shape != b.shape:
        return channel_shuffle(torch.cat((a, b), dim=1), 2)
    if is_channels_last(a) or is_channels_last(b):
        # the same interleaving along the innermost (channel) axis, so that
        # the result stays channels-last (the backbone's maps on the CPU,
        # see memory_format.py)
        n, c, h, w = a.shape
        pairs = torch.stack((a.permute(0, 2, 3, 1), b.permute(0, 2, 3, 1)),
                            dim=-1)
        return pairs.reshape(n, h, w, 2 * c).permute(0, 3, 1, 2)
    return torch.stack((a, b), dim=2).flatten(1, 2)

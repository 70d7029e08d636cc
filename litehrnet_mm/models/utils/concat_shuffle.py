"""The channel shuffle after a ShuffleNet V2 block's concatenation, in one
copy."""
import torch
from mmpose.models.backbones.utils import channel_shuffle


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
        from ``b[:, k]``.
    """
    if a.shape != b.shape:
        return channel_shuffle(torch.cat((a, b), dim=1), 2)
    return torch.stack((a, b), dim=2).flatten(1, 2)

"""Channel shuffle (ShuffleNet, Zhang et al., 2018)."""
import torch


def channel_shuffle(x: torch.Tensor, groups: int) -> torch.Tensor:
    """Interleave the channels of ``groups`` equal groups (ShuffleNet).

    Args:
        x (Tensor): Feature map of shape (N, C, H, W), C divisible by
            ``groups``.
        groups (int): Number of channel groups.

    Returns:
        Tensor: The feature map with channel ``g * C / groups + k`` moved to
        position ``k * groups + g``.
    """
    n, c, h, w = x.shape
    x = x.view(n, groups, c // groups, h, w).transpose(1, 2)
    return x.reshape(n, c, h, w)


def concat_shuffle(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """``channel_shuffle(torch.cat((a, b), 1), 2)`` in one copy.

    Concatenating two halves and shuffling them in two groups interleaves
    their channels (``a[0], b[0], a[1], b[1], ...``); stacking them on a new
    axis after the channels writes that order directly, where cat + shuffle
    copies twice. The values are identical.

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

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

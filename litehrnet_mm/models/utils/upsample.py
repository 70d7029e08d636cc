"""Nearest upsampling fused into the product or sum that consumes it."""
import torch
import torch.nn.functional as F


def _blocks(x: torch.Tensor, small: torch.Tensor):
    """The integer factors by which ``small`` tiles ``x``, or None."""
    (h, w), (sh, sw) = x.shape[-2:], small.shape[-2:]
    if h % sh or w % sw:
        return None
    return h // sh, w // sw


def _broadcast(x: torch.Tensor, small: torch.Tensor, op) -> torch.Tensor:
    factors = _blocks(x, small)
    if factors is None:  # sides that do not divide: upsample explicitly
        return op(x, F.interpolate(small, size=x.shape[-2:], mode='nearest'))
    n, c, h, w = x.shape
    sh, sw = small.shape[-2:]
    fh, fw = factors
    blocks = x.reshape(n, c, sh, fh, sw, fw)
    return op(blocks, small.reshape(n, c, sh, 1, sw, 1)).reshape(n, c, h, w)


def mul_upsampled(x: torch.Tensor, small: torch.Tensor) -> torch.Tensor:
    """``x * F.interpolate(small, size=x.shape[-2:], mode='nearest')``.

    When ``small``'s sides divide ``x``'s, nearest upsampling repeats each
    value over a block; broadcasting ``small`` over ``x`` seen as blocks
    gives the same values without writing the upsampled map.

    Args:
        x (Tensor): (N, C, H, W).
        small (Tensor): (N, C, h, w), h <= H, w <= W.

    Returns:
        Tensor: (N, C, H, W).
    """
    return _broadcast(x, small, torch.mul)


def add_upsampled(x: torch.Tensor, small: torch.Tensor) -> torch.Tensor:
    """``x + F.interpolate(small, size=x.shape[-2:], mode='nearest')``,
    without writing the upsampled map when the sides divide (see
    :func:`mul_upsampled`)."""
    return _broadcast(x, small, torch.add)

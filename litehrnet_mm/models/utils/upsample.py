"""A product or sum with a nearest-upsampled map, without writing the
upsampled map where that is faster."""
import torch
import torch.nn.functional as F

from .memory_format import is_channels_last


def _is_power_of_two(n: int) -> bool:
    return n > 0 and n & (n - 1) == 0


def _upsampled(small: torch.Tensor, size: torch.Size) -> torch.Tensor:
    """``small`` upsampled (nearest) to ``size``; a map of that size already
    (H's weights for the smallest branch) as it is, so that the exported
    graph has no Resize that copies a map unchanged.

    Where each side grows by a power of two (every branch of an input whose
    sides are multiples of 32), the upsampling is given by its factors: the
    exported Resize then has constant scales, where a size would be computed
    at run time from the map's shape (a Shape and a Concat before every
    Resize, under a dynamic batch). Both give the same values: the factors'
    inverses are exact in floating point."""
    if small.shape[-2:] == size:
        return small
    (h, w), (sh, sw) = size, small.shape[-2:]
    if h % sh == 0 and w % sw == 0 and _is_power_of_two(
            h // sh) and _is_power_of_two(w // sw):
        return F.interpolate(small, scale_factor=(float(h // sh),
                                                  float(w // sw)),
                             mode='nearest')
    return F.interpolate(small, size=size, mode='nearest')


def _explicit(x: torch.Tensor, small: torch.Tensor, op) -> torch.Tensor:
    return op(x, _upsampled(small, x.shape[-2:]))


def _explicit_channels_last(x: torch.Tensor, small: torch.Tensor,
                            op) -> torch.Tensor:
    """``op`` of ``x`` and ``small`` upsampled explicitly, the upsampling done
    in the channels-last layout: PyTorch's CPU kernel for it is several times
    faster than the one for NCHW maps, and its backward too. The values are
    the same; the layout changes copy the small map, and the upsampled one
    when ``x`` is NCHW."""
    small = small.contiguous(memory_format=torch.channels_last)
    up = _upsampled(small, x.shape[-2:])
    # the result in x's layout (the backbone's maps on the CPU are
    # channels-last, see memory_format.py)
    return op(x, up if is_channels_last(x) else up.contiguous())


def _by_rows(x: torch.Tensor, small: torch.Tensor, op) -> torch.Tensor:
    """``op`` of ``x`` and ``small`` upsampled, writing ``small`` upsampled
    along the width only and broadcasting it down each block of rows."""
    n, c, h, w = x.shape
    sh, sw = small.shape[-2:]
    rows = small.unsqueeze(-1).expand(n, c, sh, sw, w // sw)
    return op(x.reshape(n, c, sh, h // sh, w),
              rows.reshape(n, c, sh, 1, w)).reshape(n, c, h, w)


def _op_upsampled(x: torch.Tensor, small: torch.Tensor, op) -> torch.Tensor:
    (h, w), (sh, sw) = x.shape[-2:], small.shape[-2:]
    recording = torch.is_grad_enabled() and (x.requires_grad
                                             or small.requires_grad)
    if torch.compiler.is_compiling():
        # Traced by torch.compile or the ONNX exporter: the compiler fuses
        # the upsampling into its consumer; onnxruntime's Resize beats
        # Expand + Reshape (docs/speed_notes.md)
        return _explicit(x, small, op)
    if is_channels_last(x) or (recording and x.device.type == 'cpu'):
        # The backbone's maps on the CPU (memory_format.py), and under
        # autograd, where the explicit map measured faster than the
        # broadcast (whose backward reduces over a short strided axis);
        # channels-last made the training step of Lite-HRNet-18 faster again
        # (docs/speed_notes.md)
        return _explicit_channels_last(x, small, op)
    if h % sh or w % sw or recording:
        return _explicit(x, small, op)
    return _by_rows(x, small, op)


def mul_upsampled(x: torch.Tensor, small: torch.Tensor) -> torch.Tensor:
    """``x * F.interpolate(small, size=x.shape[-2:], mode='nearest')``.

    For NCHW maps at inference, when ``small``'s sides divide ``x``'s,
    nearest upsampling repeats each value over a block: ``small`` is written
    upsampled along the width only (a map ``H / h`` times smaller than the
    full one) and broadcast down each block of rows, so the inner loop stays
    a whole row. Measured on 2 CPU cores: 3-10x faster than upsampling
    explicitly for the large branches, and faster than broadcasting over
    blocks. Channels-last maps (the backbone's on the CPU, see
    ``memory_format.py``) and maps under autograd on the CPU are upsampled
    explicitly in channels-last, the result in ``x``'s layout.

    Args:
        x (Tensor): (N, C, H, W).
        small (Tensor): (N, C, h, w), h <= H, w <= W.

    Returns:
        Tensor: (N, C, H, W).
    """
    return _op_upsampled(x, small, torch.mul)


def add_upsampled(x: torch.Tensor, small: torch.Tensor) -> torch.Tensor:
    """``x + F.interpolate(small, size=x.shape[-2:], mode='nearest')``,
    computed like :func:`mul_upsampled`."""
    return _op_upsampled(x, small, torch.add)

"""The channels-last layout of the backbone on the CPU.

oneDNN, PyTorch's CPU convolution library, reads and writes channels-last
maps as they are, but reorders NCHW maps into its own blocked layout and
back around every convolution; for Lite-HRNet's many small convolutions the
reorders cost more than the arithmetic. On the CPU the backbone therefore
runs in channels-last inside, and the operations that would hand an NCHW
map to the next one (the concatenation with channel shuffle, the upsampled
products and sums of H and the fusion) keep the layout they are given: one
operation in the wrong layout makes every later one convert. Its outputs are
NCHW, as mmpose's.
"""
import torch


def channels_last_on_cpu(x: torch.Tensor) -> torch.Tensor:
    """``x`` in the channels-last layout on the CPU, otherwise ``x`` as it
    is.

    Traced code (``torch.compile``, the ONNX exporter, TorchScript) and
    other devices keep NCHW. The values are the same; the convolutions'
    sums may round differently (a few float32 ulp).

    For Lite-HRNet on the CPU both training steps and inference are faster
    in this layout (measurements: ``docs/speed_notes.md``, "Deploy mode and
    the exported graph").

    Args:
        x (Tensor): An image batch, (N, C, H, W).

    Returns:
        Tensor: ``x``, channels-last on the CPU outside tracing.
    """
    if (x.device.type == 'cpu' and not torch.compiler.is_compiling()
            and not torch.jit.is_tracing() and not torch.jit.is_scripting()):
        return x.contiguous(memory_format=torch.channels_last)
    return x


def is_channels_last(x: torch.Tensor) -> bool:
    """Whether ``x``'s channels are its innermost dimension and it is not
    plain NCHW: a channels-last map or a channel slice of one (a chunk).

    Args:
        x (Tensor): Any tensor.

    Returns:
        bool: True for a 4-D channels-last map (or slice) with more than one
        channel that is not also contiguous as NCHW.
    """
    return (x.dim() == 4 and x.shape[1] > 1 and x.stride(1) == 1
            and not x.is_contiguous())

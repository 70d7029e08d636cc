"""The ShuffleNet V2 block, the building block of Naive Lite-HRNet."""
from typing import Optional

import torch
from mmpose.models.backbones.shufflenet_v2 import InvertedResidual

from litehrnet_mm.registry import MODELS

from ..utils import concat_shuffle, run_maybe_checkpointed


@MODELS.register_module()
class ShuffleBlock(InvertedResidual):
    """ShuffleNet V2 block (Ma et al., 2018), as used by Naive Lite-HRNet.

    With stride 1 the input is split in two halves: one passes unchanged, the
    other goes through 1x1 conv → 3x3 depthwise conv → 1x1 conv; the halves
    are concatenated and their channels shuffled. With stride 2 both halves
    see the whole input and both are downsampled.

    The layers are mmpose's ``InvertedResidual``'s (same keys). What is ours:
    errors instead of assertions, and a forward that concatenates and
    shuffles in one copy (:func:`~litehrnet_mm.models.utils.concat_shuffle`)
    and recomputes activations with non-reentrant checkpointing, which also
    gives the first block's parameters their gradients.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels; equal to ``in_channels`` when
            ``stride`` is 1. Must be even.
        stride (int): Stride of the depthwise conv, 1 or 2. Defaults to 1.
        conv_cfg (dict, optional): Config of the conv layers. Defaults to
            None (``nn.Conv2d``).
        norm_cfg (dict): Config of the norm layers. Defaults to
            ``dict(type='BN')``.
        act_cfg (dict): Config of the activations. Defaults to
            ``dict(type='ReLU')``.
        with_cp (bool): Recompute activations in the backward pass to save
            memory. Defaults to False.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.

    Example:
        >>> block = ShuffleBlock(40, 40)
        >>> block(torch.rand(1, 40, 16, 12)).shape
        torch.Size([1, 40, 16, 12])
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 stride: int = 1,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='BN'),
                 act_cfg: dict = dict(type='ReLU'),
                 with_cp: bool = False,
                 init_cfg: Optional[dict] = None):
        if stride not in (1, 2):
            raise ValueError(f'ShuffleBlock: stride must be 1 or 2, got '
                             f'{stride}')
        if out_channels % 2:
            raise ValueError(f'ShuffleBlock: out_channels ({out_channels}) '
                             'must be even, the block splits them in two')
        if stride == 1 and in_channels != out_channels:
            raise ValueError(
                f'ShuffleBlock: with stride 1 in_channels ({in_channels}) '
                f'must equal out_channels ({out_channels})')
        super().__init__(in_channels, out_channels, stride, conv_cfg,
                         norm_cfg, act_cfg, with_cp, init_cfg)

    def _inner_forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.stride > 1:
            return concat_shuffle(self.branch1(x), self.branch2(x))
        x1, x2 = x.chunk(2, dim=1)
        return concat_shuffle(x1, self.branch2(x2))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Forward.

        Args:
            x (Tensor): Input of shape (N, in_channels, H, W).

        Returns:
            Tensor: Output of shape (N, out_channels, H / stride, W / stride).
        """
        return run_maybe_checkpointed(self._inner_forward, self.with_cp, x)

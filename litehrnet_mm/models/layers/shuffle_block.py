"""The ShuffleNet V2 block, the building block of Naive Lite-HRNet."""
from typing import Optional

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule

from litehrnet_mm.registry import MODELS

from ..utils import concat_shuffle, run_maybe_checkpointed


@MODELS.register_module()
class ShuffleBlock(BaseModule):
    """ShuffleNet V2 block (Ma et al., 2018), as used by Naive Lite-HRNet.

    With stride 1 the input is split in two halves: one passes unchanged, the
    other goes through 1x1 conv → 3x3 depthwise conv → 1x1 conv; the halves
    are concatenated and their channels shuffled. With stride 2 both halves
    see the whole input and both are downsampled.

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
        super().__init__(init_cfg=init_cfg)
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
        self.stride = stride
        self.with_cp = with_cp
        half = out_channels // 2
        conv = dict(conv_cfg=conv_cfg, norm_cfg=norm_cfg)

        if stride > 1:
            self.branch1 = nn.Sequential(
                ConvModule(in_channels, in_channels, 3, stride, 1,
                           groups=in_channels, act_cfg=None, **conv),
                ConvModule(in_channels, half, 1, act_cfg=act_cfg, **conv))
        self.branch2 = nn.Sequential(
            ConvModule(in_channels if stride > 1 else half, half, 1,
                       act_cfg=act_cfg, **conv),
            ConvModule(half, half, 3, stride, 1, groups=half, act_cfg=None,
                       **conv),
            ConvModule(half, half, 1, act_cfg=act_cfg, **conv))

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

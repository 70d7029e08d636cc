"""The iterative head of Lite-HRNet: low to high resolution, one map out."""
from typing import List, Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import DepthwiseSeparableConvModule
from mmengine.model import BaseModule

from litehrnet_mm.registry import MODELS


@MODELS.register_module()
class IterativeHead(BaseModule):
    """Iterative head: fuse the branches from the lowest resolution up.

    Starting at the lowest resolution, each branch gets the previous
    (refined) map, bilinearly upsampled, added, then a separable conv (3x3
    depthwise → norm → 1x1 → norm → ReLU) that maps it to the next branch's
    channels; the highest resolution keeps its own.

    Args:
        in_channels (sequence[int]): Channels of each branch, highest
            resolution first.
        conv_cfg (dict, optional): Config of the conv layers. Defaults to
            None.
        norm_cfg (dict): Config of the norm layers. Defaults to
            ``dict(type='BN')``.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.

    Example:
        >>> head = IterativeHead([40, 80])
        >>> xs = [torch.rand(1, 40, 64, 48), torch.rand(1, 80, 32, 24)]
        >>> [y.shape for y in head(xs)]
        [torch.Size([1, 40, 64, 48]), torch.Size([1, 40, 32, 24])]
    """

    def __init__(self,
                 in_channels: Sequence[int],
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='BN'),
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        low_to_high = list(in_channels)[::-1]
        out_channels = low_to_high[1:] + low_to_high[-1:]
        self.projects = nn.ModuleList([
            DepthwiseSeparableConvModule(
                c_in, c_out, 3, padding=1, conv_cfg=conv_cfg,
                norm_cfg=norm_cfg, act_cfg=dict(type='ReLU'),
                dw_act_cfg=None)
            for c_in, c_out in zip(low_to_high, out_channels)
        ])

    def forward(self, x: Sequence[torch.Tensor]) -> List[torch.Tensor]:
        """Forward.

        Args:
            x (sequence[Tensor]): The branches, highest resolution first.

        Returns:
            list[Tensor]: The refined maps, highest resolution first; the
            first has the highest branch's channels and size.
        """
        outs = []
        previous = None
        for s, project in zip(reversed(x), self.projects):
            if previous is not None:
                s = s + F.interpolate(previous, size=s.shape[-2:],
                                      mode='bilinear', align_corners=True)
            previous = project(s)
            outs.append(previous)
        return outs[::-1]

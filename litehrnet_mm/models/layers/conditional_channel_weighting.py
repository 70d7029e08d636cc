"""CCW: the conditional channel weighting block of Lite-HRNet."""
from typing import List, Optional, Sequence

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule

from litehrnet_mm.registry import MODELS

from ..utils import concat_shuffle, run_maybe_checkpointed
from .cross_resolution_weighting import CrossResolutionWeighting
from .spatial_weighting import SpatialWeighting


@MODELS.register_module()
class ConditionalChannelWeighting(BaseModule):
    """Conditional channel weighting (CCW) block, over all branches at once.

    The shuffle block with its two costly 1x1 convs replaced by weights
    computed from the input: every branch is split in two halves; the second
    halves go through H (cross-resolution weighting, one call for all
    branches), a 3x3 depthwise conv per branch and F (spatial weighting) per
    branch; each branch's halves are concatenated and channel-shuffled.

    Args:
        in_channels (sequence[int]): Channels of each branch, highest
            resolution first. Each must be even.
        stride (int): Stride of the depthwise convs. Only 1 keeps the
            branches aligned with their inputs. Defaults to 1.
        reduce_ratio (int): H's channel reduction. Defaults to 8.
        conv_cfg (dict, optional): Config of the conv layers. Defaults to
            None.
        norm_cfg (dict): Config of the norm layers (H and depthwise convs).
            Defaults to ``dict(type='BN')``.
        with_cp (bool): Recompute activations in the backward pass to save
            memory. Defaults to False.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.

    Example:
        >>> ccw = ConditionalChannelWeighting([40, 80])
        >>> xs = [torch.rand(1, 40, 64, 48), torch.rand(1, 80, 32, 24)]
        >>> [y.shape for y in ccw(xs)]
        [torch.Size([1, 40, 64, 48]), torch.Size([1, 80, 32, 24])]
    """

    def __init__(self,
                 in_channels: Sequence[int],
                 stride: int = 1,
                 reduce_ratio: int = 8,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='BN'),
                 with_cp: bool = False,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        odd = [c for c in in_channels if c % 2]
        if odd:
            raise ValueError(
                f'ConditionalChannelWeighting: branch channels {odd} must be '
                'even, each branch is split in two halves')
        if stride not in (1, 2):
            raise ValueError(f'ConditionalChannelWeighting: stride must be '
                             f'1 or 2, got {stride}')
        self.stride = stride
        self.with_cp = with_cp
        halves = [c // 2 for c in in_channels]

        self.cross_resolution_weighting = CrossResolutionWeighting(
            halves, ratio=reduce_ratio, conv_cfg=conv_cfg, norm_cfg=norm_cfg)
        self.depthwise_convs = nn.ModuleList([
            ConvModule(c, c, 3, stride, 1, groups=c, conv_cfg=conv_cfg,
                       norm_cfg=norm_cfg, act_cfg=None) for c in halves
        ])
        self.spatial_weighting = nn.ModuleList(
            [SpatialWeighting(c, ratio=4) for c in halves])

    def _inner_forward(self, *x: torch.Tensor) -> List[torch.Tensor]:
        kept, weighted = zip(*(s.chunk(2, dim=1) for s in x))
        weighted = self.cross_resolution_weighting(weighted)
        weighted = [
            f(dw(s)) for s, dw, f in zip(weighted, self.depthwise_convs,
                                         self.spatial_weighting)
        ]
        return [concat_shuffle(a, b) for a, b in zip(kept, weighted)]

    def forward(self, x: Sequence[torch.Tensor]) -> List[torch.Tensor]:
        """Forward.

        Args:
            x (sequence[Tensor]): The branches, highest resolution first.

        Returns:
            list[Tensor]: The weighted branches, shapes unchanged (stride 1).
        """
        return run_maybe_checkpointed(self._inner_forward, self.with_cp, *x)

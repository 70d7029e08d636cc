"""Repeated multi-resolution fusion, HRNet's exchange between branches."""
from typing import List, Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import build_conv_layer, build_norm_layer
from mmengine.model import ModuleList

from litehrnet_mm.registry import MODELS

from ..utils import add_upsampled
from .separable_conv import separable_conv_bn


@MODELS.register_module()
class MultiResolutionFusion(ModuleList):
    """Fuse every branch into every output resolution.

    Row ``i`` holds, for each input branch ``j``, what brings it to branch
    ``i``: nothing for ``j == i``; for a lower resolution (``j > i``) a 1x1
    conv and norm, then nearest upsampling to branch ``i``'s exact size; for
    a higher one (``j < i``) ``i - j`` stride-2 separable convs. The sum is
    passed through a ReLU.

    The official release (and mmpose after it) sums in place into the list
    of branches (``y = x[0]`` aliases branch 0), with the loop over inputs
    starting again at branch 0. The arithmetic this produces, which the
    released weights were trained with and which is reproduced here out of
    place and on purpose:

    * row 0 counts its identity term twice: ``t = 2 x_0 + sum_j up(x_j)``;
    * rows ``i > 0`` read branch 0 as ``t`` (row 0 before its ReLU) and
      count it twice: ``y_i = 2 down(t) + x_i + sum_{j>0, j!=i} f_ij(x_j)``.
      In training the reference runs ``down`` twice, so its batch-norm
      statistics move twice per step; that is kept too.

    Upsampling targets the destination's size rather than a scale factor,
    so inputs whose sides are not multiples of 32 fuse without error.

    Args:
        in_channels (sequence[int]): Channels of each branch, highest
            resolution first.
        num_outputs (int, optional): How many output branches, from the
            highest resolution. Defaults to all of them.
        conv_cfg (dict, optional): Config of the conv layers. Defaults to
            None.
        norm_cfg (dict): Config of the norm layers. Defaults to
            ``dict(type='BN')``.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.

    Example:
        >>> fuse = MultiResolutionFusion([40, 80])
        >>> xs = [torch.rand(1, 40, 63, 47), torch.rand(1, 80, 32, 24)]
        >>> [y.shape for y in fuse(xs)]
        [torch.Size([1, 40, 63, 47]), torch.Size([1, 80, 32, 24])]
    """

    def __init__(self,
                 in_channels: Sequence[int],
                 num_outputs: Optional[int] = None,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='BN'),
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        num_branches = len(in_channels)
        for i in range(num_outputs or num_branches):
            row = nn.ModuleList()
            for j in range(num_branches):
                if j > i:
                    row.append(
                        nn.Sequential(
                            build_conv_layer(conv_cfg, in_channels[j],
                                             in_channels[i], 1, bias=False),
                            build_norm_layer(norm_cfg, in_channels[i])[1]))
                elif j == i:
                    row.append(None)
                else:
                    steps = [
                        separable_conv_bn(in_channels[j], in_channels[j], 2,
                                          conv_cfg, norm_cfg, with_relu=True)
                        for _ in range(i - j - 1)
                    ]
                    steps.append(
                        separable_conv_bn(in_channels[j], in_channels[i], 2,
                                          conv_cfg, norm_cfg,
                                          with_relu=False))
                    row.append(nn.Sequential(*steps))
            self.append(row)
        self.deployed = False

    def switch_to_deploy(self, test_cfg: Optional[dict] = None) -> None:
        """Put the reference's doubled branch-0 term into the weights, for
        inference: each downsampling path ends linear, so ``2 f(t)`` is
        ``f`` with its last layer's weight and bias doubled (a conv once
        the batch norms are folded, the batch norm before).

        Args:
            test_cfg (dict, optional): Unused (mmpose's estimators pass it).
        """
        if self.deployed:
            return
        for i in range(1, len(self)):
            last = self[i][0][-1][-1]
            with torch.no_grad():
                last.weight.mul_(2)
                if last.bias is not None:
                    last.bias.mul_(2)
        self.deployed = True

    def _add(self, i: int, j: int, y: torch.Tensor,
             x: torch.Tensor) -> torch.Tensor:
        """``y`` plus branch ``j``'s map ``x`` brought to branch ``i``:
        lower resolutions are upsampled (nearest) to ``y``'s exact size."""
        z = self[i][j](x)
        return add_upsampled(y, z) if j > i else y + z

    def forward(self, x: Sequence[torch.Tensor]) -> List[torch.Tensor]:
        """Fuse.

        Args:
            x (sequence[Tensor]): The branches, highest resolution first.

        Returns:
            list[Tensor]: One fused map per output branch, at that branch's
            channels and size.
        """
        top = x[0] + x[0]
        for j in range(1, len(x)):
            top = self._add(0, j, top, x[j])
        outs = [F.relu(top)]
        for i in range(1, len(self)):
            y = self[i][0](top)
            if not self.deployed:  # deploy mode has the 2 in the weights
                if self.training:
                    # The reference runs this path a second time: the same
                    # values, and a second update of its batch norms'
                    # running statistics. That update needs no graph: the
                    # gradient of y + y is the path's, twice.
                    with torch.no_grad():
                        self[i][0](top)
                y = y + y
            for j in range(1, len(x)):
                y = y + x[j] if j == i else self._add(i, j, y, x[j])
            outs.append(F.relu(y))
        return outs

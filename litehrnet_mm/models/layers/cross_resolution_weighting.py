"""H: the cross-resolution weighting function of conditional channel
weighting."""
from typing import List, Optional, Sequence, Union

import torch
import torch.nn.functional as F
from mmpose.models.backbones import litehrnet as mmpose_litehrnet

from litehrnet_mm.registry import MODELS

from ..utils import mul_upsampled


def window_means(length: int, size: int, like: torch.Tensor) -> torch.Tensor:
    """The (size, length) matrix that averages adaptive pooling's windows
    along one side: row ``i`` is the mean over
    ``[floor(i * length / size), ceil((i + 1) * length / size))``.

    Args:
        length (int): The side's length before pooling.
        size (int): Its length after.
        like (Tensor): The matrix takes its dtype and device.

    Returns:
        Tensor: (size, length).
    """
    i = torch.arange(size, device=like.device)
    start, end = i * length // size, ((i + 1) * length + size - 1) // size
    j = torch.arange(length, device=like.device)
    inside = (j >= start[:, None]) & (j < end[:, None])
    return inside.to(like.dtype) / (end - start)[:, None].to(like.dtype)


@MODELS.register_module()
class CrossResolutionWeighting(mmpose_litehrnet.CrossResolutionWeighting):
    """H, cross-resolution weighting: channel weights from all branches.

    The paper's ``(W_1, ..., W_s) = H_s(X_1, ..., X_s)``: every branch is
    average-pooled to the smallest resolution, the maps are concatenated,
    1x1 conv → ReLU → 1x1 conv → sigmoid gives one weight map per channel,
    the maps are split back per branch, upsampled (nearest) to the branch's
    resolution and multiply it. Each weight thus depends on every position
    of every resolution, at the cost of two 1x1 convs at the smallest one.

    The layers are mmpose's (same keys), with Lite-HRNet's defaults (ratio
    8, batch norms). What is ours: the forward, which upsamples the weights
    inside the product (:func:`~litehrnet_mm.models.utils.mul_upsampled`)
    and, in deploy mode, pools with fixed windows that export as a few
    operators; and an error when the
    ratio leaves no channel.

    Args:
        channels (sequence[int]): Channels of each branch, highest
            resolution first.
        ratio (int): Channel reduction of the first 1x1 conv. Defaults to 8,
            the paper's.
        conv_cfg (dict, optional): Config of the conv layers. Defaults to
            None.
        norm_cfg (dict, optional): Config of the norm layers after each
            conv. Defaults to ``dict(type='BN')``, as in Lite-HRNet.
        act_cfg (dict or sequence[dict]): Activations after the two convs.
            Defaults to ``(dict(type='ReLU'), dict(type='Sigmoid'))``.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.

    Example:
        >>> h = CrossResolutionWeighting([20, 40])
        >>> xs = [torch.rand(1, 20, 16, 12), torch.rand(1, 40, 8, 6)]
        >>> [y.shape for y in h(xs)]
        [torch.Size([1, 20, 16, 12]), torch.Size([1, 40, 8, 6])]
    """

    def __init__(self,
                 channels: Sequence[int],
                 ratio: int = 8,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: Optional[dict] = dict(type='BN'),
                 act_cfg: Union[dict, Sequence[dict]] = (dict(type='ReLU'),
                                                         dict(type='Sigmoid')),
                 init_cfg: Optional[dict] = None):
        total = sum(channels)
        if total // ratio < 1:
            raise ValueError(f'CrossResolutionWeighting: {total} channels '
                             f'cannot be reduced by a ratio of {ratio}')
        super().__init__(list(channels), ratio, conv_cfg, norm_cfg, act_cfg,
                         init_cfg)
        self.deployed = False

    def switch_to_deploy(self, test_cfg: Optional[dict] = None) -> None:
        """Pool with fixed windows (see :meth:`_pool`), for inference and
        ONNX export.

        Args:
            test_cfg (dict, optional): Unused (mmpose's estimators pass it).
        """
        self.deployed = True

    def _pool(self, x: torch.Tensor, size: torch.Size) -> torch.Tensor:
        """Average ``x`` down to ``size``: adaptive pooling, or in deploy
        mode the same windows written for export: a fixed average pooling
        when ``size`` divides ``x``'s (the usual case), otherwise a product
        with each side's window-mean matrix (the exporter spells adaptive
        pooling over uneven windows as one masked sum per output cell)."""
        if not self.deployed:
            return F.adaptive_avg_pool2d(x, size)
        (h, w), (sh, sw) = x.shape[-2:], size
        if h % sh == 0 and w % sw == 0:
            return F.avg_pool2d(x, (h // sh, w // sw))
        return window_means(h, sh, x) @ x @ window_means(w, sw, x).T

    def forward(self, x: Sequence[torch.Tensor]) -> List[torch.Tensor]:
        """Weight every branch with weights computed from all of them.

        Args:
            x (sequence[Tensor]): The branches, highest resolution first,
                the last one the smallest.

        Returns:
            list[Tensor]: ``X_s * W_s`` for every branch, shapes unchanged.
        """
        smallest = x[-1].shape[-2:]
        pooled = [self._pool(s, smallest) for s in x[:-1]]
        weights = self.conv2(self.conv1(torch.cat(pooled + [x[-1]], dim=1)))
        weights = torch.split(weights, self.channels, dim=1)
        return [mul_upsampled(s, w) for s, w in zip(x, weights)]

"""The multi-resolution module: blocks on every branch, then fusion."""
from typing import List, Optional, Sequence

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from litehrnet_mm.registry import MODELS

from .conditional_channel_weighting import ConditionalChannelWeighting
from .fusion import MultiResolutionFusion
from .shuffle_block import ShuffleBlock

MODULE_TYPES = ('LITE', 'NAIVE')


@MODELS.register_module()
class LiteHRModule(BaseModule):
    """One module of a Lite-HRNet stage (HRNet's high-resolution module).

    ``num_blocks`` blocks run on the parallel branches, then the branches are
    fused. ``'LITE'`` blocks are conditional channel weighting blocks, one
    block spanning all branches (H mixes them); ``'NAIVE'`` blocks are
    ShuffleNet V2 blocks, a separate sequence per branch.

    Args:
        num_branches (int): Number of parallel branches.
        num_blocks (int): Blocks per branch.
        in_channels (sequence[int]): Channels of each branch, highest
            resolution first.
        reduce_ratio (int): H's channel reduction (``'LITE'`` only).
        module_type (str): ``'LITE'`` or ``'NAIVE'`` (any case).
        multiscale_output (bool): Output every branch, or only the highest
            resolution. Defaults to False.
        with_fuse (bool): Fuse the branches after the blocks. Defaults to
            True.
        conv_cfg (dict, optional): Config of the conv layers. Defaults to
            None.
        norm_cfg (dict): Config of the norm layers. Defaults to
            ``dict(type='BN')``.
        with_cp (bool): Recompute the blocks' activations in the backward
            pass to save memory. Defaults to False.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.

    Example:
        >>> m = LiteHRModule(2, 2, [40, 80], 8, 'LITE', True)
        >>> xs = [torch.rand(1, 40, 64, 48), torch.rand(1, 80, 32, 24)]
        >>> [y.shape for y in m(xs)]
        [torch.Size([1, 40, 64, 48]), torch.Size([1, 80, 32, 24])]
    """

    def __init__(self,
                 num_branches: int,
                 num_blocks: int,
                 in_channels: Sequence[int],
                 reduce_ratio: int,
                 module_type: str,
                 multiscale_output: bool = False,
                 with_fuse: bool = True,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='BN'),
                 with_cp: bool = False,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        if num_branches != len(in_channels):
            raise ValueError(f'LiteHRModule: num_branches ({num_branches}) '
                             f'!= len(in_channels) ({len(in_channels)})')
        if str(module_type).upper() not in MODULE_TYPES:
            raise ValueError(f'LiteHRModule: module_type must be one of '
                             f'{MODULE_TYPES}, got {module_type!r}')
        self.in_channels = list(in_channels)
        self.num_branches = num_branches
        self.module_type = module_type.upper()
        self.multiscale_output = multiscale_output
        self.with_fuse = with_fuse
        cfg = dict(conv_cfg=conv_cfg, norm_cfg=norm_cfg, with_cp=with_cp)

        if self.module_type == 'LITE':
            self.layers = nn.Sequential(*[
                ConditionalChannelWeighting(
                    self.in_channels, reduce_ratio=reduce_ratio, **cfg)
                for _ in range(num_blocks)
            ])
        else:
            self.layers = nn.ModuleList([
                nn.Sequential(
                    *[ShuffleBlock(c, c, **cfg) for _ in range(num_blocks)])
                for c in self.in_channels
            ])
        if with_fuse and num_branches > 1:
            self.fuse_layers = MultiResolutionFusion(
                self.in_channels,
                num_outputs=None if multiscale_output else 1,
                conv_cfg=conv_cfg,
                norm_cfg=norm_cfg)

    def forward(self, x: Sequence[torch.Tensor]) -> List[torch.Tensor]:
        """Forward.

        Args:
            x (sequence[Tensor]): The branches, highest resolution first.

        Returns:
            list[Tensor]: The branches after blocks and fusion (only the
            first one unless ``multiscale_output``).
        """
        self._check_branches(x)
        if self.module_type == 'LITE':
            out = self.layers(list(x))
        else:
            out = [branch(s) for branch, s in zip(self.layers, x)]
        if hasattr(self, 'fuse_layers'):
            out = self.fuse_layers(out)
        return out if self.multiscale_output else out[:1]

    def _check_branches(self, x: Sequence[torch.Tensor]) -> None:
        """Refuse anything but one (N, C_i, H_i, W_i) tensor per branch,
        naming what came instead; mmpose's one-branch form ``[[x]]`` among
        it (there, a one-branch module runs only its first block)."""
        if isinstance(x, (list, tuple)) and len(x) == self.num_branches \
                and all(isinstance(s, torch.Tensor) and s.dim() == 4
                        for s in x):
            return
        kinds = [type(s).__name__ for s in x] if isinstance(
            x, (list, tuple)) else None
        raise TypeError(
            f'LiteHRModule expects a list of {self.num_branches} tensor(s) '
            f'(N, C, H, W), one per branch, highest resolution first; got '
            f'{type(x).__name__}' +
            (f' of {kinds}' if kinds is not None else '') +
            ('. For one branch pass [x], not [[x]]'
             if kinds == ['list'] else ''))

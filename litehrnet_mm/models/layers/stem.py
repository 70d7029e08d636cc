"""The stem of Lite-HRNet: the image to 1/4 resolution."""
from typing import Optional

import torch
from mmpose.models.backbones import litehrnet as mmpose_litehrnet

from litehrnet_mm.registry import MODELS

from ..utils import concat_shuffle, run_maybe_checkpointed


@MODELS.register_module()
class Stem(mmpose_litehrnet.Stem):
    """Stem: a 3x3 stride-2 conv, then a stride-2 shuffle-style block.

    After the conv the channels are split in two halves. The first goes
    through a 3x3 stride-2 depthwise conv and a 1x1 conv; the second through
    a 1x1 expansion, a 3x3 stride-2 depthwise conv and a 1x1 projection. The
    halves are concatenated and channel-shuffled: the output is at 1/4 of
    the input resolution.

    The layers are mmpose's ``Stem``'s (same keys). What is ours: errors
    that name the bad channel counts instead of a failing layer, and a
    forward that concatenates and shuffles in one copy and recomputes
    activations with non-reentrant checkpointing (parameters get gradients
    although the image does not require one).

    Args:
        in_channels (int): Image channels.
        stem_channels (int): Channels after the first conv. Must be even.
        out_channels (int): Output channels.
        expand_ratio (float): Expansion of the second half's 1x1 conv.
        conv_cfg (dict, optional): Config of the conv layers. Defaults to
            None.
        norm_cfg (dict): Config of the norm layers. Defaults to
            ``dict(type='BN')``.
        with_cp (bool): Recompute activations in the backward pass to save
            memory. Defaults to False.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.

    Example:
        >>> stem = Stem(3, stem_channels=32, out_channels=32, expand_ratio=1)
        >>> stem(torch.rand(1, 3, 256, 192)).shape
        torch.Size([1, 32, 64, 48])
    """

    def __init__(self,
                 in_channels: int,
                 stem_channels: int,
                 out_channels: int,
                 expand_ratio: float,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='BN'),
                 with_cp: bool = False,
                 init_cfg: Optional[dict] = None):
        if stem_channels % 2 or out_channels % 2:
            raise ValueError(
                f'Stem: stem_channels ({stem_channels}) and out_channels '
                f'({out_channels}) must be even, the stem splits and '
                'shuffles them in two halves')
        # The second half keeps half the channels when the stem does not
        # widen, otherwise all of stem_channels; the first half makes up the
        # rest of out_channels.
        second_out = (stem_channels // 2 if stem_channels == out_channels
                      else stem_channels)
        if out_channels <= second_out:
            raise ValueError(
                f'Stem: out_channels ({out_channels}) must exceed '
                f'{second_out} for stem_channels={stem_channels}')
        super().__init__(in_channels, stem_channels, out_channels,
                         expand_ratio, conv_cfg, norm_cfg, with_cp, init_cfg)

    def _inner_forward(self, x: torch.Tensor) -> torch.Tensor:
        x1, x2 = self.conv1(x).chunk(2, dim=1)
        x2 = self.linear_conv(self.depthwise_conv(self.expand_conv(x2)))
        return concat_shuffle(self.branch1(x1), x2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Forward.

        Args:
            x (Tensor): Image batch, (N, in_channels, H, W).

        Returns:
            Tensor: Features at 1/4 resolution, (N, out_channels, ⌈H/4⌉,
            ⌈W/4⌉).
        """
        return run_maybe_checkpointed(self._inner_forward, self.with_cp, x)

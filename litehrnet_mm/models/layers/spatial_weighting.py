"""F: the spatial weighting function of conditional channel weighting."""
from typing import Optional, Sequence, Union

from mmpose.models.backbones import litehrnet as mmpose_litehrnet

from litehrnet_mm.registry import MODELS


@MODELS.register_module()
class SpatialWeighting(mmpose_litehrnet.SpatialWeighting):
    """F, spatial weighting: per-branch channel weights from the whole map.

    The paper's ``w_s = F_s(X_s)``: global average pooling → FC → ReLU → FC
    → sigmoid, the weights multiplying the branch's channels (a squeeze-and-
    excitation unit). The FCs are 1x1 convs with bias.

    mmpose's module, with Lite-HRNet's ratio (4) as the default and an error
    when the ratio leaves no channel.

    Args:
        channels (int): Channels of the branch.
        ratio (int): Channel reduction of the first FC. Lite-HRNet (the
            official release and mmpose alike) uses 4 inside CCW; the
            configs' ``reduce_ratios`` are H's. Defaults to 4.
        conv_cfg (dict, optional): Config of the conv layers. Defaults to
            None.
        norm_cfg (dict, optional): Config of the norm layers. Defaults to
            None (no norm, FCs with bias).
        act_cfg (dict or sequence[dict]): Activations after the two FCs.
            Defaults to ``(dict(type='ReLU'), dict(type='Sigmoid'))``.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.

    Example:
        >>> f = SpatialWeighting(20)
        >>> f(torch.rand(1, 20, 16, 12)).shape
        torch.Size([1, 20, 16, 12])
    """

    def __init__(self,
                 channels: int,
                 ratio: int = 4,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: Optional[dict] = None,
                 act_cfg: Union[dict, Sequence[dict]] = (dict(type='ReLU'),
                                                         dict(type='Sigmoid')),
                 init_cfg: Optional[dict] = None):
        if channels // ratio < 1:
            raise ValueError(f'SpatialWeighting: {channels} channels cannot '
                             f'be reduced by a ratio of {ratio}')
        super().__init__(channels, ratio, conv_cfg, norm_cfg, act_cfg,
                         init_cfg)

"""The separable convolution of Lite-HRNet's transitions and fusions."""
from typing import Optional

import torch.nn as nn
from mmcv.cnn import build_conv_layer, build_norm_layer


def separable_conv_bn(in_channels: int,
                      out_channels: int,
                      stride: int,
                      conv_cfg: Optional[dict],
                      norm_cfg: dict,
                      with_relu: bool) -> nn.Sequential:
    """3x3 depthwise conv → norm → 1x1 conv → norm (→ ReLU).

    Xception-style separable convolution, with which Lite-HRNet replaces
    HRNet's dense 3x3 convs between resolutions. The layers are indexed
    0-4 as in the official release, so its weights load.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        stride (int): Stride of the depthwise conv (2 halves the size,
            rounding up).
        conv_cfg (dict, optional): Config of the conv layers.
        norm_cfg (dict): Config of the norm layers.
        with_relu (bool): Whether a ReLU ends the sequence.

    Returns:
        nn.Sequential: The layers.
    """
    layers = [
        build_conv_layer(conv_cfg, in_channels, in_channels, 3, stride, 1,
                         groups=in_channels, bias=False),
        build_norm_layer(norm_cfg, in_channels)[1],
        build_conv_layer(conv_cfg, in_channels, out_channels, 1, bias=False),
        build_norm_layer(norm_cfg, out_channels)[1],
    ]
    if with_relu:
        layers.append(nn.ReLU())
    return nn.Sequential(*layers)

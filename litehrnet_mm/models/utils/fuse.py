"""Inference-time folding of batch norms into the convolutions before them."""
from typing import Optional

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from torch.nn.modules.batchnorm import _BatchNorm


def fuse_conv_bn(conv: nn.Conv2d, bn: _BatchNorm) -> nn.Conv2d:
    """A conv computing ``bn(conv(x))`` with ``bn``'s running statistics.

    Args:
        conv (nn.Conv2d): The convolution.
        bn (_BatchNorm): The batch norm after it (eval-mode statistics).

    Returns:
        nn.Conv2d: A new convolution with a bias, same geometry.
    """
    fused = nn.Conv2d(conv.in_channels, conv.out_channels, conv.kernel_size,
                      conv.stride, conv.padding, conv.dilation, conv.groups,
                      bias=True).to(conv.weight)
    scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
    bias = conv.bias if conv.bias is not None else torch.zeros_like(
        bn.running_mean)
    with torch.no_grad():
        fused.weight.copy_(conv.weight * scale.reshape(-1, 1, 1, 1))
        fused.bias.copy_((bias - bn.running_mean) * scale + bn.bias)
    return fused


def deploy_conv_module(module: ConvModule) -> nn.Module:
    """A ConvModule (conv → norm → activation) as a plain fused conv,
    followed by its activation if it has one."""
    conv = module.conv
    if module.with_norm:
        conv = fuse_conv_bn(conv, module.norm)
    if module.with_activation:
        return nn.Sequential(conv, module.activate)
    return conv


def deploy_layers(layers: Optional[nn.Module]) -> Optional[nn.Module]:
    """Convs with their batch norms folded in, for inference.

    A ConvModule becomes its fused conv (and activation); in a Sequential
    every conv → batch norm pair becomes one conv, recursively; a ModuleList
    is deployed element by element; None stays None.

    Args:
        layers (nn.Module, optional): ConvModule, Sequential or ModuleList.

    Returns:
        nn.Module, optional: The deployed equivalent.
    """
    if isinstance(layers, ConvModule):
        return deploy_conv_module(layers)
    if isinstance(layers, nn.ModuleList):
        return nn.ModuleList([deploy_layers(m) for m in layers])
    if not isinstance(layers, nn.Sequential):
        return layers
    fused = []
    for layer in layers:
        if isinstance(layer, _BatchNorm) and fused and isinstance(
                fused[-1], nn.Conv2d):
            fused[-1] = fuse_conv_bn(fused[-1], layer)
        else:
            fused.append(deploy_layers(layer))
    return nn.Sequential(*fused)

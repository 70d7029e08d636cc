"""Batch-norm folding: each convolution followed by a batch norm becomes one
convolution with a bias, for inference.

The arithmetic is torch's (:func:`torch.nn.utils.fusion.fuse_conv_bn_weights`);
what is ours is the walk. Unlike :func:`mmcv.cnn.fuse_conv_bn`, which keeps
every ``ConvModule`` and puts an ``nn.Identity`` where its norm was, the walk
replaces a ``ConvModule`` by its bare conv (and activation), so that deploy
mode also drops the module's Python dispatch, and it leaves alone what it
cannot fold exactly: a ``ConvModule`` whose norm comes before its conv or
that pads explicitly, and a batch norm without running statistics.
"""
import copy

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from torch.nn.modules.batchnorm import _BatchNorm
from torch.nn.utils.fusion import fuse_conv_bn_weights


def fold_batch_norm(conv: nn.Conv2d, bn: _BatchNorm) -> nn.Conv2d:
    """A conv computing ``bn(conv(x))`` with ``bn``'s running statistics.

    Args:
        conv (nn.Conv2d): The convolution (left unchanged).
        bn (_BatchNorm): The batch norm after it.

    Returns:
        nn.Conv2d: A copy of ``conv`` with the folded weight and a bias.
    """
    folded = copy.deepcopy(conv)
    with torch.no_grad():
        folded.weight, folded.bias = fuse_conv_bn_weights(
            conv.weight, conv.bias, bn.running_mean, bn.running_var, bn.eps,
            bn.weight, bn.bias)
    return folded


def fold_batch_norms(module: nn.Module) -> nn.Module:
    """Fold every conv → batch norm pair inside ``module``, in place.

    A ``ConvModule`` (conv → norm → activation) becomes its folded conv, or
    ``nn.Sequential(conv, activation)``; in an ``nn.Sequential`` (not a
    subclass, whose ``forward`` may differ) a ``Conv2d`` directly followed
    by a batch norm becomes one conv. Other modules are walked
    recursively. Folding uses the running statistics, i.e. the outputs are
    those of the model in eval mode. A second call changes nothing.

    Args:
        module (nn.Module): Any module.

    Returns:
        nn.Module: ``module`` itself, or its replacement when ``module`` is
        a ``ConvModule`` or an ``nn.Sequential``.
    """
    if isinstance(module, ConvModule) and _foldable_conv_module(module):
        conv = module.conv
        if module.with_norm:
            conv = fold_batch_norm(conv, module.norm)
        return nn.Sequential(conv, module.activate) \
            if module.with_activation else conv
    if type(module) is nn.Sequential:
        layers = []
        for layer in module:
            if _is_foldable_norm(layer) and layers and type(
                    layers[-1]) is nn.Conv2d:
                layers[-1] = fold_batch_norm(layers[-1], layer)
            else:
                layers.append(fold_batch_norms(layer))
        return nn.Sequential(*layers)
    for name, child in module.named_children():
        setattr(module, name, fold_batch_norms(child))
    return module


def _is_foldable_norm(layer: nn.Module) -> bool:
    """A batch norm with running statistics (what folding needs)."""
    return isinstance(layer, _BatchNorm) and layer.running_mean is not None


def _foldable_conv_module(module: ConvModule) -> bool:
    """A ConvModule in conv → norm → act order, without explicit padding,
    whose conv is a plain ``Conv2d`` and whose norm, if any, folds."""
    return (module.order == ('conv', 'norm', 'act')
            and not module.with_explicit_padding
            and type(module.conv) is nn.Conv2d
            and (not module.with_norm or _is_foldable_norm(module.norm)))

"""Batch-norm folding: the eval-mode outputs, in fewer layers, and nothing
folded that would change them."""
import copy

import pytest
import torch
import torch.nn as nn
from mmcv.cnn import ConvModule

from litehrnet_mm.models.utils import fold_batch_norm, fold_batch_norms


def _trained_bn(channels: int, affine: bool = True, seed: int = 0):
    g = torch.Generator().manual_seed(seed)
    bn = nn.BatchNorm2d(channels, affine=affine)
    with torch.no_grad():
        bn.running_mean.normal_(0, 0.5, generator=g)
        bn.running_var.uniform_(0.3, 3.0, generator=g)
        if affine:
            bn.weight.uniform_(0.5, 1.5, generator=g)
            bn.bias.normal_(0, 0.5, generator=g)
    return bn.eval()


@pytest.mark.parametrize('bias, affine, groups', [
    (False, True, 1), (True, True, 1), (False, False, 1), (False, True, 6)])
def test_fold_batch_norm_equals_conv_then_norm(bias, affine, groups):
    conv = nn.Conv2d(6, 12, 3, stride=2, padding=1, groups=groups, bias=bias)
    bn = _trained_bn(12, affine)
    x = torch.randn(2, 6, 9, 7, dtype=torch.float64)
    conv, bn = conv.double(), bn.double()
    folded = fold_batch_norm(conv, bn)
    with torch.no_grad():
        torch.testing.assert_close(folded(x), bn(conv(x)), rtol=0, atol=1e-12)
    assert folded.bias is not None and folded is not conv
    assert (folded.stride, folded.padding, folded.groups) == (
        conv.stride, conv.padding, conv.groups)


def _stack():
    seq = nn.Sequential(nn.Conv2d(4, 8, 3, padding=1, bias=False),
                        _trained_bn(8, seed=1), nn.ReLU(),
                        nn.Conv2d(8, 8, 1), _trained_bn(8, seed=2))
    module = ConvModule(8, 6, 3, padding=1, norm_cfg=dict(type='BN'))
    module.norm.load_state_dict(_trained_bn(6, seed=3).state_dict())
    plain = ConvModule(6, 6, 1, act_cfg=dict(type='Sigmoid'))
    return nn.ModuleDict(dict(seq=seq, module=module, plain=plain)).eval()


def _forward(stack, x):
    return stack['plain'](stack['module'](stack['seq'](x)))


def test_fold_batch_norms_leaves_only_convs_and_activations():
    stack = _stack()
    x = torch.randn(2, 4, 10, 8)
    with torch.no_grad():
        expected = _forward(stack, x)
    folded = fold_batch_norms(copy.deepcopy(stack))
    kinds = [type(m).__name__ for m in folded.modules()
             if not list(m.children())]
    assert kinds == ['Conv2d', 'ReLU', 'Conv2d',  # seq
                     'Conv2d', 'ReLU',  # the ConvModule, its norm folded
                     'Conv2d', 'Sigmoid']  # a ConvModule without norm
    with torch.no_grad():
        torch.testing.assert_close(_forward(folded, x), expected,
                                   rtol=1e-5, atol=1e-5)
    again = fold_batch_norms(copy.deepcopy(folded))
    assert str(again) == str(folded)


@pytest.mark.parametrize('module', [
    ConvModule(4, 4, 3, padding=1, norm_cfg=dict(type='BN'),
               order=('norm', 'conv', 'act')),
    ConvModule(4, 4, 3, padding=1, norm_cfg=dict(type='BN'),
               padding_mode='reflect'),
    nn.Sequential(nn.Conv2d(4, 4, 1),
                  nn.BatchNorm2d(4, track_running_stats=False)),
])
def test_what_cannot_be_folded_exactly_is_left_alone(module):
    module.eval()
    x = torch.randn(2, 4, 6, 5)
    with torch.no_grad():
        expected = module(x)
        folded = fold_batch_norms(copy.deepcopy(module))
        torch.testing.assert_close(folded(x), expected)
    assert any(isinstance(m, nn.BatchNorm2d) for m in folded.modules())

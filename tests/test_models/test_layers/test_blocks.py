"""The blocks, each usable alone and from a config, each equal to mmpose's
counterpart holding the same weights (in eval and train mode, and after
``switch_to_deploy``)."""
import copy

import pytest
import torch
from mmpose.models.backbones import litehrnet as mmpose_litehrnet
from torch.nn.modules.batchnorm import _BatchNorm

from litehrnet_mm.deploy import switch_to_deploy
from litehrnet_mm.models.utils import concat_shuffle
from litehrnet_mm.registry import MODELS


def test_concat_shuffle_is_mmposes_cat_and_shuffle():
    a, b = torch.randn(2, 3, 5, 4), torch.randn(2, 3, 5, 4)
    expected = mmpose_litehrnet.channel_shuffle(torch.cat((a, b), 1), 2)
    assert torch.equal(concat_shuffle(a, b), expected)
    assert concat_shuffle(a, b)[0, :4, 0, 0].tolist() == [
        a[0, 0, 0, 0], b[0, 0, 0, 0], a[0, 1, 0, 0], b[0, 1, 0, 0]]
    c = torch.randn(2, 5, 5, 4)  # halves of different widths
    assert torch.equal(
        concat_shuffle(a, c),
        mmpose_litehrnet.channel_shuffle(torch.cat((a, c), 1), 2))


def _trained_looking(block: torch.nn.Module, seed: int = 0) -> None:
    """Random norm parameters and running statistics, so that folding and
    eval-mode normalization are exercised (fresh ones are the identity)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in block.modules():
            if isinstance(m, _BatchNorm):
                m.weight.uniform_(0.5, 1.5, generator=g)
                m.bias.normal_(0, 0.2, generator=g)
                m.running_mean.normal_(0, 0.2, generator=g)
                m.running_var.uniform_(0.5, 2.0, generator=g)


BRANCHES = [(2, 40, 16, 12), (2, 80, 8, 6)]
PAIRS = {
    # ours (config) and mmpose's class with the same arguments
    'H': (dict(type='CrossResolutionWeighting', channels=[40, 80], ratio=8),
          lambda: mmpose_litehrnet.CrossResolutionWeighting(
              [40, 80], ratio=8, norm_cfg=dict(type='BN')), BRANCHES),
    'F': (dict(type='SpatialWeighting', channels=20, ratio=4),
          lambda: mmpose_litehrnet.SpatialWeighting(20, ratio=4),
          (2, 20, 8, 6)),
    'ccw': (dict(type='ConditionalChannelWeighting', in_channels=[40, 80],
                 reduce_ratio=8),
            lambda: mmpose_litehrnet.ConditionalChannelWeighting(
                [40, 80], stride=1, reduce_ratio=8), BRANCHES),
    'shuffle': (dict(type='ShuffleBlock', in_channels=40, out_channels=40),
                lambda: mmpose_litehrnet.ShuffleUnit(40, 40),
                (2, 40, 16, 12)),
    'shuffle-stride-2': (
        dict(type='ShuffleBlock', in_channels=40, out_channels=80, stride=2),
        lambda: mmpose_litehrnet.ShuffleUnit(40, 80, stride=2),
        (2, 40, 16, 12)),
    'stem': (dict(type='Stem', in_channels=3, stem_channels=32,
                  out_channels=32, expand_ratio=1),
             lambda: mmpose_litehrnet.Stem(3, 32, 32, expand_ratio=1),
             (2, 3, 64, 48)),
    'module-lite': (
        dict(type='LiteHRModule', num_branches=3, num_blocks=2,
             in_channels=[8, 16, 32], reduce_ratio=4, module_type='LITE',
             multiscale_output=True),
        lambda: mmpose_litehrnet.LiteHRModule(
            3, 2, [8, 16, 32], 4, 'LITE', multiscale_output=True),
        [(2, 8, 16, 12), (2, 16, 8, 6), (2, 32, 4, 3)]),
    'module-naive': (
        dict(type='LiteHRModule', num_branches=2, num_blocks=2,
             in_channels=[40, 80], reduce_ratio=8, module_type='naive'),
        lambda: mmpose_litehrnet.LiteHRModule(2, 2, [40, 80], 8, 'NAIVE'),
        BRANCHES),
    'iterative-head': (
        dict(type='IterativeHead', in_channels=[40, 80, 160]),
        lambda: mmpose_litehrnet.IterativeHead([40, 80, 160]),
        [(2, 40, 16, 12), (2, 80, 8, 6), (2, 160, 4, 3)]),
}


def _run(block, shapes, seed=1):
    g = torch.Generator().manual_seed(seed)
    if isinstance(shapes, list):
        out = block([torch.randn(*s, generator=g) for s in shapes])
        return list(out)
    return [block(torch.randn(*shapes, generator=g))]


@pytest.mark.parametrize('name', list(PAIRS))
def test_block_equals_mmposes_with_the_same_weights(name):
    cfg, reference_class, shapes = PAIRS[name]
    ours = MODELS.build(cfg)
    _trained_looking(ours)
    reference = reference_class()
    reference.load_state_dict(ours.state_dict(), strict=True)
    for mode in (False, True):  # eval, then train (batch statistics)
        ours.train(mode)
        reference.train(mode)
        with torch.no_grad():
            expected = _run(reference, shapes)
            got = _run(ours, shapes)
        assert [y.shape for y in got] == [y.shape for y in expected]
        for y, e in zip(got, expected):
            torch.testing.assert_close(y, e, rtol=1e-5, atol=1e-5)
    for a, b in zip(ours.state_dict().values(),
                    reference.state_dict().values()):
        torch.testing.assert_close(a, b)  # running statistics moved alike
    reference.eval()
    deployed = switch_to_deploy(copy.deepcopy(ours))
    assert not any(isinstance(m, _BatchNorm) for m in deployed.modules())
    with torch.no_grad():
        for y, e in zip(_run(deployed, shapes), _run(reference, shapes)):
            torch.testing.assert_close(y, e, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize('cfg, message', [
    (dict(type='ConditionalChannelWeighting', in_channels=[40, 81]),
     r'\[81\] must be even'),
    (dict(type='ShuffleBlock', in_channels=40, out_channels=80),
     'with stride 1 in_channels'),
    (dict(type='ShuffleBlock', in_channels=40, out_channels=41, stride=2),
     r'out_channels \(41\) must be even'),
    (dict(type='Stem', in_channels=3, stem_channels=31, out_channels=32,
          expand_ratio=1), 'must be even'),
    (dict(type='SpatialWeighting', channels=3, ratio=4),
     '3 channels cannot be reduced by a ratio of 4'),
    (dict(type='LiteHRModule', num_branches=2, num_blocks=1,
          in_channels=[40, 80], reduce_ratio=8, module_type='DENSE'),
     "module_type must be one of .* got 'DENSE'"),
    (dict(type='LiteHRModule', num_branches=3, num_blocks=1,
          in_channels=[40, 80], reduce_ratio=8, module_type='LITE'),
     r'num_branches \(3\) != len\(in_channels\) \(2\)'),
])
def test_bad_block_configuration_is_named(cfg, message):
    with pytest.raises(ValueError, match=message):
        MODELS.build(cfg)


@pytest.mark.parametrize('module_type', ['LITE', 'NAIVE'])
def test_one_branch_module_takes_a_list_of_one_tensor(module_type):
    cfg = dict(type='LiteHRModule', num_branches=1, num_blocks=1,
               in_channels=[40], reduce_ratio=8, module_type=module_type)
    ours = MODELS.build(cfg)
    _trained_looking(ours)
    ours.eval()
    reference = mmpose_litehrnet.LiteHRModule(1, 1, [40], 8, module_type)
    reference.load_state_dict(ours.state_dict(), strict=True)
    reference.eval()
    x = torch.randn(2, 40, 8, 6)
    with torch.no_grad():
        (y, ) = ours([x])
        # mmpose's one-branch LITE module wants [[x]] and returns [[y]]
        expected = reference([[x]] if module_type == 'LITE' else [x])[0]
        expected = expected[0] if module_type == 'LITE' else expected
    torch.testing.assert_close(y, expected, rtol=1e-5, atol=1e-5)
    with pytest.raises(TypeError, match=r'pass \[x\], not \[\[x\]\]'):
        ours([[x]])
    with pytest.raises(TypeError, match='list of 1 tensor.*got Tensor'):
        ours(x)

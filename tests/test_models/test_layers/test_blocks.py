"""The blocks, each usable alone and from a config."""
import pytest
import torch
from mmpose.models.backbones.utils import (
    channel_shuffle as mmpose_channel_shuffle,
)

from litehrnet_mm.models.utils import channel_shuffle
from litehrnet_mm.registry import MODELS


def test_channel_shuffle_interleaves_the_groups():
    x = torch.arange(6.).view(1, 6, 1, 1)
    assert channel_shuffle(x, 2).flatten().tolist() == [0, 3, 1, 4, 2, 5]
    x = torch.randn(2, 12, 5, 3)
    assert torch.equal(channel_shuffle(x, 3), mmpose_channel_shuffle(x, 3))


@pytest.mark.parametrize('cfg, inputs, shapes', [
    (dict(type='ConditionalChannelWeighting', in_channels=[40, 80]),
     [(2, 40, 16, 12), (2, 80, 8, 6)], [(2, 40, 16, 12), (2, 80, 8, 6)]),
    (dict(type='ShuffleBlock', in_channels=40, out_channels=40),
     (2, 40, 16, 12), (2, 40, 16, 12)),
    (dict(type='ShuffleBlock', in_channels=40, out_channels=80, stride=2),
     (2, 40, 16, 12), (2, 80, 8, 6)),
    (dict(type='Stem', in_channels=3, stem_channels=32, out_channels=32,
          expand_ratio=1), (2, 3, 64, 48), (2, 32, 16, 12)),
    (dict(type='MultiResolutionFusion', in_channels=[8, 16, 32]),
     [(2, 8, 17, 13), (2, 16, 9, 7), (2, 32, 5, 4)],
     [(2, 8, 17, 13), (2, 16, 9, 7), (2, 32, 5, 4)]),
    (dict(type='LiteHRModule', num_branches=2, num_blocks=2,
          in_channels=[40, 80], reduce_ratio=8, module_type='naive',
          multiscale_output=False),
     [(2, 40, 16, 12), (2, 80, 8, 6)], [(2, 40, 16, 12)]),
    (dict(type='IterativeHead', in_channels=[40, 80, 160]),
     [(2, 40, 16, 12), (2, 80, 8, 6), (2, 160, 4, 3)],
     [(2, 40, 16, 12), (2, 40, 8, 6), (2, 80, 4, 3)]),
    (dict(type='SpatialWeighting', channels=20), (2, 20, 8, 6), (2, 20, 8, 6)),
])
def test_blocks_build_from_config_and_keep_shapes(cfg, inputs, shapes):
    block = MODELS.build(cfg).eval()
    if isinstance(inputs, list):
        out = block([torch.randn(*s) for s in inputs])
        assert [tuple(y.shape) for y in out] == shapes
    else:
        assert tuple(block(torch.randn(*inputs)).shape) == shapes


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

"""H and F against small cases computed by hand."""
import math

import torch

from litehrnet_mm.models import CrossResolutionWeighting, SpatialWeighting


def sigmoid(v: float) -> float:
    return 1 / (1 + math.exp(-v))


def test_spatial_weighting_by_hand():
    # 4 channels, constant maps of 1, 2, 3, 4: the pooled vector is those.
    x = torch.arange(1., 5.).view(1, 4, 1, 1).expand(1, 4, 3, 2).clone()
    f = SpatialWeighting(4, ratio=4)  # one hidden unit
    with torch.no_grad():
        f.conv1.conv.weight.fill_(0.1)   # 0.1 * (1 + 2 + 3 + 4) = 1.0
        f.conv1.conv.bias.fill_(-0.5)    # relu(1.0 - 0.5) = 0.5
        f.conv2.conv.weight.copy_(torch.tensor([0., 2., -2., 4.]).view(4, 1,
                                                                      1, 1))
        f.conv2.conv.bias.zero_()        # logits 0, 1, -1, 2
    expected = [1 * sigmoid(0), 2 * sigmoid(1), 3 * sigmoid(-1),
                4 * sigmoid(2)]
    out = f(x)
    assert out.shape == x.shape
    for c, value in enumerate(expected):
        assert torch.allclose(out[0, c], torch.full((3, 2), value))


def test_cross_resolution_weighting_by_hand():
    # branch 1: one channel, 4x4; branch 2: one channel, 2x2
    x1 = torch.arange(16.).view(1, 1, 4, 4)
    x2 = torch.tensor([[[[1., 0.], [0., 1.]]]])
    h = CrossResolutionWeighting([1, 1], ratio=2, norm_cfg=None)
    with torch.no_grad():
        h.conv1.conv.weight.fill_(1.)    # hidden = relu(pool(x1) + x2)
        h.conv1.conv.bias.zero_()
        h.conv2.conv.weight.copy_(torch.tensor([1., -1.]).view(2, 1, 1, 1))
        h.conv2.conv.bias.zero_()        # w1 = sigmoid(hidden), w2 = 1 - w1
    # 2x2 average pooling of x1: [[2.5, 4.5], [10.5, 12.5]]
    hidden = [[2.5 + 1, 4.5], [10.5, 12.5 + 1]]
    w1 = torch.tensor([[sigmoid(v) for v in row] for row in hidden])
    w2 = torch.tensor([[sigmoid(-v) for v in row] for row in hidden])
    y1, y2 = h([x1, x2])
    # each weight covers the 2x2 block of x1 it was pooled from
    upsampled = w1.repeat_interleave(2, 0).repeat_interleave(2, 1)
    assert torch.allclose(y1[0, 0], x1[0, 0] * upsampled)
    assert torch.allclose(y2[0, 0], x2[0, 0] * w2)


def test_cross_resolution_weighting_on_odd_sizes():
    h = CrossResolutionWeighting([4, 8, 16])
    xs = [torch.randn(2, 4, 17, 13), torch.randn(2, 8, 9, 7),
          torch.randn(2, 16, 5, 4)]
    assert [y.shape for y in h(xs)] == [x.shape for x in xs]

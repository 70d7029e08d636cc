"""H and F against small cases computed by hand."""
import math

import torch
import torch.nn.functional as F

from litehrnet_mm.models import CrossResolutionWeighting, SpatialWeighting
from litehrnet_mm.models.layers.cross_resolution_weighting import window_means


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


def test_window_means_are_adaptive_poolings_windows():
    # 7 -> 3: windows [0, 3), [2, 5), [4, 7), overlapping where uneven
    expected = torch.zeros(3, 7, dtype=torch.float64)
    for row, (start, end) in enumerate([(0, 3), (2, 5), (4, 7)]):
        expected[row, start:end] = 1 / (end - start)
    like = torch.empty(0, dtype=torch.float64)
    assert torch.equal(window_means(7, 3, like), expected)
    x = torch.randn(2, 3, 17, 13, dtype=torch.float64)
    pooled = window_means(17, 5, x) @ x @ window_means(13, 4, x).T
    assert torch.allclose(pooled, F.adaptive_avg_pool2d(x, (5, 4)),
                          rtol=0, atol=1e-12)


def test_deploy_mode_pools_uneven_sizes_like_eager_mode():
    h = CrossResolutionWeighting([4, 8, 16]).double().eval()
    xs = [torch.randn(2, c, *size, dtype=torch.float64)
          for c, size in [(4, (17, 13)), (8, (9, 7)), (16, (5, 4))]]
    with torch.no_grad():
        expected = h(xs)
        h.switch_to_deploy()
        for y, e in zip(h(xs), expected):
            assert torch.allclose(y, e, rtol=0, atol=1e-12)

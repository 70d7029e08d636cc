import torch

from litehrnet_mm.models.utils import (
    channels_last_on_cpu,
    concat_shuffle,
    is_channels_last,
)


def test_channels_last_on_the_cpu_but_not_when_traced(monkeypatch):
    x = torch.randn(2, 3, 8, 6)
    for grad in (True, False):  # training and inference alike
        with torch.set_grad_enabled(grad):
            out = channels_last_on_cpu(x)
        assert out.is_contiguous(memory_format=torch.channels_last)
        assert torch.equal(out, x)
    # torch.compile and the ONNX exporter trace NCHW
    monkeypatch.setattr(torch.compiler, 'is_compiling', lambda: True)
    assert channels_last_on_cpu(x) is x


def test_is_channels_last_sees_maps_and_their_channel_slices():
    cl = torch.randn(2, 6, 8, 6).contiguous(memory_format=torch.channels_last)
    assert is_channels_last(cl)
    assert is_channels_last(cl.chunk(2, dim=1)[1])
    nchw = torch.randn(2, 6, 8, 6)
    assert not is_channels_last(nchw)
    assert not is_channels_last(nchw.chunk(2, dim=1)[1])
    # one pixel per channel: both layouts at once, taken as NCHW
    assert not is_channels_last(torch.randn(2, 6, 1, 1).contiguous(
        memory_format=torch.channels_last))


def test_concat_shuffle_keeps_channels_last_with_the_same_values():
    whole = torch.randn(2, 8, 5, 4).contiguous(
        memory_format=torch.channels_last)
    a, b = whole.chunk(2, dim=1)
    out = concat_shuffle(a, b)
    assert out.is_contiguous(memory_format=torch.channels_last)
    assert torch.equal(out, concat_shuffle(a.contiguous(), b.contiguous()))
    assert concat_shuffle(a.contiguous(), b.contiguous()).is_contiguous()

import pytest
import torch
import torch.nn.functional as F

from litehrnet_mm.models.utils import add_upsampled, mul_upsampled

SHAPES = [((2, 3, 16, 12), (2, 3, 2, 3)), ((2, 3, 16, 12), (2, 3, 8, 6)),
          ((2, 3, 16, 12), (2, 3, 16, 12)), ((2, 3, 17, 13), (2, 3, 5, 4)),
          ((2, 3, 15, 21), (2, 3, 5, 3))]


@pytest.mark.parametrize('fused, op', [(mul_upsampled, torch.mul),
                                       (add_upsampled, torch.add)])
@pytest.mark.parametrize('shape, small_shape', SHAPES)
def test_equals_explicit_nearest_upsampling(fused, op, shape, small_shape):
    x, small = torch.randn(shape), torch.randn(small_shape)
    expected = op(x, F.interpolate(small, size=shape[-2:], mode='nearest'))
    with torch.no_grad():
        assert torch.equal(fused(x, small), expected)


@pytest.mark.parametrize('fused, op', [(mul_upsampled, torch.mul),
                                       (add_upsampled, torch.add)])
@pytest.mark.parametrize('shape, small_shape', SHAPES)
def test_gradients_equal_explicit_upsampling(fused, op, shape, small_shape):
    x, small = torch.randn(shape), torch.randn(small_shape)
    grad = torch.randn(shape)
    xs = [x.clone().requires_grad_(), small.clone().requires_grad_()]
    ref = [x.clone().requires_grad_(), small.clone().requires_grad_()]
    out = fused(*xs)
    expected = op(ref[0], F.interpolate(ref[1], size=shape[-2:],
                                        mode='nearest'))
    assert torch.equal(out, expected)  # under autograd: another path
    out.backward(grad)
    expected.backward(grad)
    for a, b in zip(xs, ref):
        assert torch.allclose(a.grad, b.grad, atol=1e-6)


@pytest.mark.parametrize('fused, op', [(mul_upsampled, torch.mul),
                                       (add_upsampled, torch.add)])
def test_channels_last_maps_stay_channels_last_under_autograd(fused, op):
    # a channel slice of a channels-last map, as a block's chunk is in
    # training; an NCHW result would make the next convolution convert
    whole = torch.randn(2, 6, 16, 12).contiguous(
        memory_format=torch.channels_last)
    x = whole[:, 3:].requires_grad_()
    small = torch.randn(2, 3, 4, 3, requires_grad=True)
    out = fused(x, small)
    assert out.is_contiguous(memory_format=torch.channels_last)
    assert torch.equal(
        out, op(x, F.interpolate(small, size=(16, 12), mode='nearest')))
    nchw = fused(torch.randn(2, 3, 16, 12, requires_grad=True), small)
    assert nchw.is_contiguous()


@pytest.mark.parametrize('fused', [mul_upsampled, add_upsampled])
def test_export_resizes_only_maps_of_another_size(tmp_path, fused):
    """H's weights for the smallest branch have its size already: the
    exported graph multiplies them in directly, without a Resize that would
    copy them unchanged; smaller maps are resized."""
    import onnx

    class Op(torch.nn.Module):

        def forward(self, x, same, small):
            return fused(fused(x, same), small)

    inputs = (torch.randn(1, 3, 8, 6), torch.randn(1, 3, 8, 6),
              torch.randn(1, 3, 4, 3))
    onnx_file = str(tmp_path / 'op.onnx')
    torch.onnx.export(Op(), inputs, onnx_file, dynamo=True, verbose=False)
    ops = [node.op_type for node in onnx.load(onnx_file).graph.node]
    assert ops.count('Resize') == 1, ops


@pytest.mark.parametrize('fused, op', [(mul_upsampled, torch.mul),
                                       (add_upsampled, torch.add)])
def test_export_upsamples_by_constant_factors(tmp_path, fused, op):
    """Under a dynamic batch, each Resize by powers of two takes constant
    scales, with no shape computed at run time before it; other ratios
    keep a size. Both give explicit upsampling's values under
    onnxruntime."""
    import onnx
    import onnxruntime

    class Op(torch.nn.Module):

        def forward(self, x, quarter, odd):
            return fused(fused(x, quarter), odd)

    inputs = (torch.randn(2, 3, 16, 12), torch.randn(2, 3, 4, 3),
              torch.randn(2, 3, 16, 4))
    onnx_file = str(tmp_path / 'op.onnx')
    batch = torch.export.Dim('batch', min=1)
    torch.onnx.export(Op(), inputs, onnx_file, dynamo=True, verbose=False,
                      input_names=['x', 'quarter', 'odd'],
                      dynamic_shapes={'x': {0: batch},
                                      'quarter': {0: batch},
                                      'odd': {0: batch}})
    graph = onnx.load(onnx_file).graph
    made_by = {out: node.op_type for node in graph.node
               for out in node.output}
    resizes = [node for node in graph.node if node.op_type == 'Resize']
    assert len(resizes) == 2
    # inputs: X, roi, scales, sizes
    by_factors, by_size = sorted(resizes, key=lambda n: len(n.input))
    assert by_factors.input[2] and by_factors.input[2] not in made_by
    assert len(by_size.input) == 4 and by_size.input[3] in made_by
    x, quarter, odd = (torch.randn(3, *t.shape[1:]) for t in inputs)
    expected = op(op(x, F.interpolate(quarter, size=(16, 12))),
                  F.interpolate(odd, size=(16, 12)))
    session = onnxruntime.InferenceSession(
        onnx_file, providers=['CPUExecutionProvider'])
    (out, ) = session.run(None, dict(x=x.numpy(), quarter=quarter.numpy(),
                                     odd=odd.numpy()))
    assert torch.equal(torch.from_numpy(out), expected)

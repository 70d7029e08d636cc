"""Deploy mode: the same heatmaps as the eval-mode model, from a simpler
network; ONNX export of every variant, verified with onnxruntime."""
import copy

import pytest
import torch
from helpers import CONFIGS, randomize_like_trained
from mmengine.config import Config
from mmengine.registry import DefaultScope
from torch.nn.modules.batchnorm import _BatchNorm

from litehrnet_mm.deploy import (
    export_onnx,
    max_difference_to_onnxruntime,
    switch_to_deploy,
)
from litehrnet_mm.registry import MODELS

VARIANTS = ['litehrnet-18', 'litehrnet-30', 'naive-litehrnet-18',
            'wider-naive-litehrnet-18']


def pose_model(name: str) -> torch.nn.Module:
    """A pose model with trained-looking weights at a trained network's
    scale (norm gains below one, heatmaps of order one)."""
    cfg = Config.fromfile(CONFIGS / '_base_' / 'models' / f'{name}.py')
    with DefaultScope.overwrite_default_scope('litehrnet_mm'):
        model = MODELS.build(cfg.model)
    randomize_like_trained(model.backbone, gain=(0.2, 0.6),
                           size=(128, 128))
    with torch.no_grad():
        model.head.final_layer.weight.mul_(0.1)
    return model.eval()


@pytest.mark.parametrize('name', VARIANTS)
def test_deploy_mode_is_exact_in_double_precision(name):
    model = pose_model(name).double()
    deployed = switch_to_deploy(copy.deepcopy(model))
    assert not any(isinstance(m, _BatchNorm) for m in deployed.modules())
    for size in [(256, 192), (97, 131)]:
        x = torch.randn(2, 3, *size, dtype=torch.float64)
        with torch.no_grad():
            diff = (deployed._forward(x) - model._forward(x)).abs().max()
        assert diff < 1e-9, (name, size, diff)


@pytest.mark.parametrize('name', VARIANTS)
def test_deploy_heatmaps_within_1e4_in_float32(name):
    model = pose_model(name)
    deployed = switch_to_deploy(copy.deepcopy(model))
    for size in [(256, 192), (384, 288), (256, 256)]:
        x = torch.randn(1, 3, *size)
        with torch.no_grad():
            expected = model._forward(x)
            diff = (deployed._forward(x) - expected).abs().max().item()
        assert expected.abs().max() > 0.1
        assert diff <= 1e-4, (name, size, diff)


def test_switch_to_deploy_is_idempotent_and_mmposes_hook_works():
    model = pose_model('litehrnet-18')
    x = torch.randn(1, 3, 128, 96)
    with torch.no_grad():
        expected = model._forward(x)
    model.switch_to_deploy()  # mmpose's estimator walks our modules
    switch_to_deploy(model)   # a second pass changes nothing
    with torch.no_grad():
        assert (model._forward(x) - expected).abs().max() <= 1e-4


# Lite-HRNet-18 in deploy mode at 128x96 is exported and checked elsewhere
# (conftest.py's fitted_export, used by the INT8, predictor and tool tests:
# onnxruntime against PyTorch, and the model's AP through the config's test
# loop). Here: every other variant, the eval-mode (unfolded) graph as users
# export it without --deploy, and uneven sizes
@pytest.mark.parametrize('name, size, deploy', [
    ('litehrnet-30', (128, 96), False),
    ('naive-litehrnet-18', (256, 256), True),
    ('wider-naive-litehrnet-18', (96, 128), True),
    ('litehrnet-18', (97, 131), True),
])
def test_onnx_export_with_dynamic_batch_matches_onnxruntime(
        tmp_path, name, size, deploy):
    model = pose_model(name)
    if deploy:
        model = switch_to_deploy(model)
    onnx_file = str(tmp_path / 'model.onnx')
    export_onnx(model, onnx_file, (1, 3, *size), dynamic_batch=True)
    import onnx
    graph = onnx.load(onnx_file)
    assert max(o.version for o in graph.opset_import if o.domain in
               ('', 'ai.onnx')) >= 17
    # H's pooling, uneven at 97x131 too, is no masked sum per output cell
    # (a Gather per cell and side, as adaptive pooling exports)
    assert 'Gather' not in {node.op_type for node in graph.graph.node}
    for batch in (1, 3):
        diff = max_difference_to_onnxruntime(model, onnx_file,
                                             torch.randn(batch, 3, *size))
        assert diff <= 1e-4, (batch, diff)


def test_export_and_verify_prints_and_stops_above_the_tolerance(
        tmp_path, monkeypatch, capsys):
    """What the export tools print, and their error when onnxruntime and
    PyTorch differ by more than VERIFY_TOLERANCE (the export itself and
    the comparison stand in: they are tested above)."""
    from litehrnet_mm.deploy import onnx_export
    monkeypatch.setattr(onnx_export, 'export_onnx', lambda *args: None)
    monkeypatch.setattr(onnx_export, 'max_difference_to_onnxruntime',
                        lambda *args: 2e-4)
    output_file = str(tmp_path / 'new' / 'model.onnx')
    with pytest.raises(SystemExit,
                       match=r'verification failed: 2\.00e-04 > 0\.0001'):
        onnx_export.export_and_verify(torch.nn.Identity(), output_file,
                                      (1, 3, 8, 6), dynamic_batch=True,
                                      verify=True)
    assert (tmp_path / 'new').is_dir()
    out = capsys.readouterr().out
    assert f'exported {output_file} (opset 18, input Nx3x8x6)' in out
    assert 'onnxruntime vs PyTorch: max abs difference 2.00e-04' in out

"""INT8: the quantized network keeps the float network's keypoints,
measured as COCO's OKS AP against the float network's own predictions (AP
1.0 by construction) through the config's test loop.

The model is the CPU-sized synthetic config fitted to the generated people
(``fitted_export`` in conftest.py: fixed crops, no augmentation, 150 steps),
so that its heatmaps have the clear peaks of a trained model: with a barely
trained one, whose heatmaps are nearly flat, any rounding moves the peaks.
Fitted on one thread, it is the same model in a serial run and under
pytest-xdist; fitted for 100 steps it kept AP 1.0 on two threads and 0.985
on one. With this model, quantizing all convolutions gives 0.96 and every
operator but the depthwise convolutions 0.82: the bound tells the default
from both. On x86 CPUs without VNNI (an AMD EPYC of the Zen 2 generation)
onnxruntime's INT8 convolutions saturate, and the default gave AP 0.959
(0.981 with onnxruntime's graph optimizations off, which run the QDQ graph
in float arithmetic); there the bound is 0.95, and the quantization tool
warns.
"""
import json

import pytest
from helpers import SYNTHETIC_CONFIG, build_runner, config_with_options
from mmpose.apis import inference_topdown, init_model

from litehrnet_mm.deploy import (
    OnnxRuntimeNetwork,
    cpu_has_int8_dot_product,
    quantize_int8,
    switch_to_deploy,
    use_network,
)
from litehrnet_mm.deploy import int8 as int8_module

# the float network's keypoints kept, as OKS AP against them: where
# onnxruntime's INT8 convolutions are exact, and on x86 CPUs without VNNI
AP_BOUND = 0.99 if cpu_has_int8_dot_product() else 0.95


@pytest.fixture(scope='module')
def networks(fitted_export):
    """The fitted model in deploy mode, on the config that points at its
    training people, with the pytorch2onnx tool's float export of it and
    the INT8 quantization of that, calibrated on the same people."""
    cfg = config_with_options(SYNTHETIC_CONFIG, fitted_export['options'])
    model = switch_to_deploy(
        init_model(cfg, fitted_export['checkpoint'], device='cpu'))
    return cfg, model, fitted_export['float'], fitted_export['int8']


def _float_predictions_as_truth(cfg, model, path):
    """The people's annotations with every keypoint replaced by the float
    model's prediction for the person's box, all visible."""
    dataset = cfg.train_dataloader.dataset
    root = dataset.data_root
    coco = json.loads(open(root + dataset.ann_file).read())
    names = {image['id']: image['file_name'] for image in coco['images']}
    for ann in coco['annotations']:
        x, y, w, h = ann['bbox']
        (sample, ) = inference_topdown(
            model, root + dataset.data_prefix.img + names[ann['image_id']],
            [[x, y, x + w, y + h]])
        keypoints = sample.pred_instances.keypoints[0]
        ann['keypoints'] = [v for x, y in keypoints.tolist()
                            for v in (x, y, 2)]
        ann['num_keypoints'] = len(keypoints)
    path.write_text(json.dumps(coco))
    return str(path)


def _ap(onnx_file, truth, coco_root, work_dir):
    runner = build_runner(
        SYNTHETIC_CONFIG, coco_root, work_dir,
        test_dataloader=dict(dataset=dict(
            ann_file=truth, data_prefix=dict(img='train/'))),
        # no OKS NMS: it would drop predictions, not measure them
        test_evaluator=dict(ann_file=truth, nms_mode='none'))
    use_network(runner.model, OnnxRuntimeNetwork(onnx_file))
    return runner.test()['coco/AP']


def test_int8_keeps_the_float_keypoints(networks, coco_root, tmp_path):
    cfg, model, float_file, int8_file = networks
    truth = _float_predictions_as_truth(cfg, model, tmp_path / 'truth.json')
    assert _ap(float_file, truth, coco_root, tmp_path / 'float') == \
        pytest.approx(1.0)
    assert _ap(int8_file, truth, coco_root, tmp_path / 'int8') >= AP_BOUND


def test_int8_leaves_depthwise_convolutions_in_float(networks):
    import onnx
    graph = onnx.load(networks[3]).graph
    weights = {init.name for init in graph.initializer}
    quantized, depthwise_float = 0, 0
    for node in graph.node:
        if node.op_type != 'Conv':
            continue
        # a quantized convolution reads its weight through DequantizeLinear
        if node.input[1] in weights:
            depthwise_float += any(a.name == 'group' and a.i > 1
                                   for a in node.attribute)
        else:
            quantized += 1
    assert quantized > 100 and depthwise_float > 50


@pytest.mark.parametrize('flags,exact', [
    ('fpu sse avx2 avx512f avx512_vnni', True),
    ('fpu sse avx2 avx_vnni', True),
    ('fpu sse avx2 amx_bf16 amx_int8 amx_tile', True),
    ('fpu sse avx2 avx512f avx512bw', False),
    ('fpu sse avx2', False),
])
def test_cpus_without_vnni_are_told_apart(tmp_path, monkeypatch, flags,
                                          exact):
    monkeypatch.setattr('platform.machine', lambda: 'x86_64')
    cpuinfo = tmp_path / 'cpuinfo'
    cpuinfo.write_text(f'processor\t: 0\nflags\t\t: {flags}\n')
    assert cpu_has_int8_dot_product(str(cpuinfo)) is exact
    assert cpu_has_int8_dot_product(str(tmp_path / 'missing')) is True


def test_quantizing_on_a_cpu_without_vnni_warns(tmp_path, monkeypatch):
    import torch
    monkeypatch.setattr(int8_module, 'cpu_has_int8_dot_product',
                        lambda: False)
    float_file = tmp_path / 'conv.onnx'
    torch.onnx.export(torch.nn.Conv2d(3, 4, 3), (torch.randn(1, 3, 8, 8), ),
                      str(float_file), input_names=['images'], dynamo=False)
    images = torch.randn(2, 3, 8, 8).numpy()
    with pytest.warns(UserWarning, match='no VNNI.*test_onnx.py'):
        quantize_int8(str(float_file), str(tmp_path / 'int8.onnx'), images)
